/// A seccomp filter ready for libseccomp: the profile's conditions already decided for one
/// architecture, capability set and kernel. The shim loads it with `seccomp_rule_add_array`.
public struct SeccompFilter: Sendable, Equatable {
    public var defaultAction: SeccompAction
    /// libseccomp architecture names (`x86_64`, `x86`, `x32`).
    public var architectures: [String]
    public var rules: [SeccompRule]
}

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

/// One system call's rule: all its conditions must hold.
public struct SeccompRule: Sendable, Equatable, CustomStringConvertible {
    public var syscall: String
    public var action: SeccompAction
    public var conditions: [Condition]

    /// `arg[index] op value` (for `masked-eq`: `arg & value == valueTwo`).
    public struct Condition: Sendable, Equatable {
        public var index: Int
        /// `ne`, `lt`, `le`, `eq`, `ge`, `gt`, `masked-eq`.
        public var op: String
        public var value: UInt64
        public var valueTwo: UInt64
    }

    /// `clone allow if arg0 & 0x7e020000 == 0x0`.
    public var description: String {
        let conditions = conditions.map { c in
            c.op == "masked-eq"
                ? "arg\(c.index) & 0x\(String(c.value, radix: 16)) == 0x\(String(c.valueTwo, radix: 16))"
                : "arg\(c.index) \(c.op) \(c.value)"
        }
        return "\(syscall) \(action)" + (conditions.isEmpty ? "" : " if " + conditions.joined(separator: " && "))
    }
}
