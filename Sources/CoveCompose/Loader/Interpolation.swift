import CoveCore

/// Stage 2 of the loader: substitutes variables in every string value of a file's tree,
/// then gives values at typed paths their type back (`replicas: ${N}` becomes an integer),
/// as Compose does before validating.
public struct Interpolation {
    public let template: Template
    /// Variables that were unset and had no default, in the order first met.
    public private(set) var unsetVariables: [String] = []
    private var unsetSeen: Set<String> = []

    public init(environment: Environment) {
        let env = environment
        template = Template(lookup: { env[$0] })
    }

    /// Where `visit` is in the tree: a stack, so that walking costs no allocation per node.
    private var path = TreePath()

    /// Interpolates every string value below `node` (mapping keys are left alone).
    public mutating func apply(_ node: Node, path start: TreePath = .root) throws(CoveError) -> Node {
        path = start
        return try visit(node) ?? node
    }

    /// The node with its strings interpolated, or nil when nothing below it changes (most
    /// subtrees hold no variable: they are then kept as they are, not copied).
    private mutating func visit(_ node: Node) throws(CoveError) -> Node? {
        switch node.value {
        case .string(let text):
            guard text.utf8.contains(UInt8(ascii: "$")) else {
                guard let typed = try TypeCast.cast(text, at: path, location: node.location) else { return nil }
                var out = node
                out.value = typed
                return out
            }
            var missing: [String] = []
            let result: String
            do {
                result = try template.substitute(text) { missing.append($0) }
            } catch {
                switch error {
                case .invalidFormat:
                    throw CoveError.invalid("invalid interpolation format in \(path): \"\(text)\"", at: node.location)
                case .required(let variable, let message):
                    let detail = message.isEmpty ? "" : ": \(message)"
                    throw CoveError.invalid(
                        "required variable \"\(variable)\" is missing a value\(detail) (in \(path))", at: node.location)
                }
            }
            for name in missing where unsetSeen.insert(name).inserted { unsetVariables.append(name) }
            var out = node
            out.value = try TypeCast.cast(result, at: path, location: node.location) ?? .string(result)
            return out
        case .mapping(let mapping):
            var changed: Mapping?
            for (key, child) in mapping {
                path.components.append(.key(key))
                defer { path.components.removeLast() }
                guard let new = try visit(child) else { continue }
                if changed == nil { changed = mapping }
                changed?[key] = new
            }
            guard let changed else { return nil }
            var copy = node
            copy.value = .mapping(changed)
            return copy
        case .sequence(let items):
            var changed: [Node]?
            for i in items.indices {
                path.components.append(.index(i))
                defer { path.components.removeLast() }
                guard let new = try visit(items[i]) else { continue }
                if changed == nil { changed = items }
                changed?[i] = new
            }
            guard let changed else { return nil }
            var copy = node
            copy.value = .sequence(changed)
            return copy
        default:
            return nil
        }
    }

    /// The warning Compose prints for an unset variable.
    public static func warning(forUnset name: String) -> String {
        "The \"\(name)\" variable is not set. Defaulting to a blank string."
    }
}

/// The paths whose interpolated strings are converted back to numbers or booleans (the
/// same table as Compose's loader).
enum TypeCast {
    enum Kind { case int, float, bool }

    private static let rules: [(String, Kind)] = [
        ("services.*.configs.[].mode", .int), ("services.*.secrets.[].mode", .int),
        ("services.*.cpu_count", .int), ("services.*.cpu_percent", .float),
        ("services.*.cpu_period", .int), ("services.*.cpu_quota", .int),
        ("services.*.cpu_rt_period", .int), ("services.*.cpu_rt_runtime", .int),
        ("services.*.cpus", .float), ("services.*.cpu_shares", .int), ("services.*.init", .bool),
        ("services.*.deploy.replicas", .int),
        ("services.*.deploy.update_config.parallelism", .int),
        ("services.*.deploy.update_config.max_failure_ratio", .float),
        ("services.*.deploy.rollback_config.parallelism", .int),
        ("services.*.deploy.rollback_config.max_failure_ratio", .float),
        ("services.*.deploy.restart_policy.max_attempts", .int),
        ("services.*.deploy.placement.max_replicas_per_node", .int),
        ("services.*.healthcheck.retries", .int), ("services.*.healthcheck.disable", .bool),
        ("services.*.oom_kill_disable", .bool), ("services.*.oom_score_adj", .int),
        ("services.*.pids_limit", .int), ("services.*.ports.[].target", .int),
        ("services.*.privileged", .bool), ("services.*.read_only", .bool),
        ("services.*.scale", .int), ("services.*.stdin_open", .bool), ("services.*.tty", .bool),
        ("services.*.ulimits.*", .int), ("services.*.ulimits.*.hard", .int),
        ("services.*.ulimits.*.soft", .int), ("services.*.volumes.[].read_only", .bool),
        ("services.*.volumes.[].volume.nocopy", .bool), ("services.*.depends_on.*.required", .bool),
        ("services.*.depends_on.*.restart", .bool),
        ("networks.*.external", .bool), ("networks.*.internal", .bool),
        ("networks.*.attachable", .bool), ("networks.*.enable_ipv6", .bool),
        ("volumes.*.external", .bool), ("secrets.*.external", .bool), ("configs.*.external", .bool),
    ]

    static let table: [(pattern: [String], kind: Kind)] = rules.map { rule in
        (rule.0.split(separator: ".").map(String.init), rule.1)
    }

    /// The last path keys in the table, to skip the search for every other value.
    static let lastKeys: Set<String> = Set(table.compactMap(\.pattern.last).filter { $0 != "*" })

    /// The typed value for `text` at `path`, or nil when the path is untyped. Text that
    /// does not read as the path's type is an error, as in Compose.
    static func cast(_ text: String, at path: TreePath, location: SourceLocation) throws(CoveError) -> Node.Value? {
        guard path.components.count >= 2, case .key(let last)? = path.components.last,
            lastKeys.contains(last) || path.components.count == 4,
            let rule = table.first(where: { path.matches($0.pattern) })
        else {
            return nil
        }
        let value: Node.Value?
        switch rule.kind {
        case .int:
            value = ScalarResolver.parseInt(text).map { .int($0) }
        case .float:
            value = Double(text).map { .float($0) }
        case .bool:
            switch text.lowercased() {
            case "true", "1", "t": value = .bool(true)
            case "false", "0", "f": value = .bool(false)
            default: value = nil
            }
        }
        guard let value else {
            let kind = rule.kind == .bool ? "a boolean" : rule.kind == .int ? "an integer" : "a number"
            throw CoveError.invalid("\(path): \"\(text)\" is not \(kind)", at: location)
        }
        return value
    }
}
