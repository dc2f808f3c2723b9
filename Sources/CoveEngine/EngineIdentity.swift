/// Who this engine is: what `/version` and `/info` say about the daemon itself.
public struct EngineIdentity: Sendable, Equatable {
    /// Cove's version.
    public var version: String
    /// The engine id, stable across restarts on one root (`<root>/engine-id`).
    public var id: String
    /// The state root.
    public var root: String
    /// Whether the daemon logs at debug level.
    public var debug: Bool

    public init(version: String, id: String, root: String, debug: Bool) {
        self.version = version
        self.id = id
        self.root = root
        self.debug = debug
    }
}
