/// What the kernel does with a matching system call.
public enum SeccompAction: Sendable, Equatable, CustomStringConvertible {
    case allow
    case errno(Int)
    case killThread
    case killProcess
    case trap
    case trace(Int)
    case log

    /// The action's name in the shim's config, and its number argument.
    var encoded: (name: String, number: Int) {
        switch self {
        case .allow: ("allow", 0)
        case .errno(let code): ("errno", code)
        case .killThread: ("kill-thread", 0)
        case .killProcess: ("kill-process", 0)
        case .trap: ("trap", 0)
        case .trace(let code): ("trace", code)
        case .log: ("log", 0)
        }
    }

    public var description: String {
        switch self {
        case .errno(let code): "errno(\(code))"
        case .trace(let code): "trace(\(code))"
        default: encoded.name
        }
    }
}
