/// A path into the tree, such as `services.web.ports.0.target`, used in messages and to
/// match rules written as patterns (`services.*.ports.[].target`).
public struct TreePath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public init(keys: String...) { self.components = keys.map { .key($0) } }

    public static let root = TreePath()

    public func appending(_ key: String) -> TreePath {
        TreePath(components + [.key(key)])
    }

    public func appending(index: Int) -> TreePath {
        TreePath(components + [.index(index)])
    }

    public var description: String {
        components.map {
            switch $0 {
            case .key(let k): return k
            case .index(let i): return String(i)
            }
        }.joined(separator: ".")
    }

    /// Matches a dotted pattern where `*` is any key and `[]` any list index.
    public func matches(_ pattern: [String]) -> Bool {
        guard pattern.count == components.count else { return false }
        for (p, c) in zip(pattern, components) {
            switch c {
            case .key(let k): if p != "*" && p != k { return false }
            case .index: if p != "[]" { return false }
            }
        }
        return true
    }
}
