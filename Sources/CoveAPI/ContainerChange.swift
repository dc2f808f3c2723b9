/// One line of `docker diff`: `GET /containers/{id}/changes` answers a list of these.
public struct ContainerChange: Codable, Equatable, Sendable {
    /// Docker's kinds: 0 modified, 1 added, 2 deleted.
    public enum Kind: Int, Codable, Sendable {
        case modified = 0
        case added = 1
        case deleted = 2

        /// The letter `docker diff` prints: `C`, `A` or `D`.
        public var letter: String {
            switch self {
            case .modified: "C"
            case .added: "A"
            case .deleted: "D"
            }
        }
    }

    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case path = "Path"
        case kind = "Kind"
    }
}
