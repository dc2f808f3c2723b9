/// A volume as `GET /volumes`, `GET /volumes/{name}` and `POST /volumes/create` show it (API v1.43
/// `Volume`).
public struct VolumeJSON: Codable, Sendable, Equatable {
    public var name: String
    public var driver: String
    public var mountpoint: String
    /// RFC 3339.
    public var createdAt: String
    public var labels: [String: String]
    /// Always `local`.
    public var scope: String
    public var options: [String: String]

    public init(
        name: String, driver: String, mountpoint: String, createdAt: String, labels: [String: String],
        options: [String: String]
    ) {
        self.name = name
        self.driver = driver
        self.mountpoint = mountpoint
        self.createdAt = createdAt
        self.labels = labels
        scope = "local"
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case driver = "Driver"
        case mountpoint = "Mountpoint"
        case createdAt = "CreatedAt"
        case labels = "Labels"
        case scope = "Scope"
        case options = "Options"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        driver = try container.decodeIfPresent(String.self, forKey: .driver) ?? "local"
        mountpoint = try container.decodeIfPresent(String.self, forKey: .mountpoint) ?? ""
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        scope = try container.decodeIfPresent(String.self, forKey: .scope) ?? "local"
        options = try container.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
    }
}
