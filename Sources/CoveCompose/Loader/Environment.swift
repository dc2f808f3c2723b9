/// The variables interpolation sees: the shell's environment over the project's env files.
public struct Environment: Sendable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(name: String) -> String? { values[name] }

    /// Adds variables that are not already set (the earlier source has precedence).
    public mutating func addDefaults(_ pairs: [(key: String, value: String)]) {
        for (key, value) in pairs where values[key] == nil { values[key] = value }
    }

    /// Sets variables, replacing existing ones.
    public mutating func override(_ pairs: [(key: String, value: String)]) {
        for (key, value) in pairs { values[key] = value }
    }
}
