import Foundation

/// `$` in an interpolated value is written back as `$$`, so that printed configuration
/// reads back to the same values (Docker Compose does the same).
public enum DollarEscape {
    public static func apply(_ node: Node) -> Node {
        var out = node
        switch node.value {
        case .string(let s) where s.contains("$"):
            out.value = .string(s.replacingOccurrences(of: "$", with: "$$"))
        case .mapping(let m):
            var escaped = Mapping()
            for (key, value) in m { escaped.set(key, apply(value), keyAt: m.location(ofKey: key) ?? value.location) }
            out.value = .mapping(escaped)
        case .sequence(let items):
            out.value = .sequence(items.map(apply))
        default:
            break
        }
        return out
    }
}
