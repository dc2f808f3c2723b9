/// One entry of `GET /images/json` (API v1.43 `ImageSummary`): written by the engine, read by
/// the CLI. Reading tolerates missing fields, as older engines omit some.
public struct ImageSummary: Codable, Sendable, Equatable {
    public var id: String
    public var parentID: String
    public var repoTags: [String]
    public var repoDigests: [String]
    /// Unix seconds.
    public var created: Int64
    public var size: Int64
    public var sharedSize: Int64
    public var virtualSize: Int64
    public var labels: [String: String]
    public var containers: Int64

    public init(
        id: String, parentID: String = "", repoTags: [String], repoDigests: [String], created: Int64, size: Int64,
        sharedSize: Int64 = -1, virtualSize: Int64, labels: [String: String], containers: Int64 = -1
    ) {
        self.id = id
        self.parentID = parentID
        self.repoTags = repoTags
        self.repoDigests = repoDigests
        self.created = created
        self.size = size
        self.sharedSize = sharedSize
        self.virtualSize = virtualSize
        self.labels = labels
        self.containers = containers
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case parentID = "ParentId"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case created = "Created"
        case size = "Size"
        case sharedSize = "SharedSize"
        case virtualSize = "VirtualSize"
        case labels = "Labels"
        case containers = "Containers"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        parentID = try container.decodeIfPresent(String.self, forKey: .parentID) ?? ""
        repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        repoDigests = try container.decodeIfPresent([String].self, forKey: .repoDigests) ?? []
        created = try container.decodeIfPresent(Int64.self, forKey: .created) ?? 0
        size = try container.decodeIfPresent(Int64.self, forKey: .size) ?? 0
        sharedSize = try container.decodeIfPresent(Int64.self, forKey: .sharedSize) ?? -1
        virtualSize = try container.decodeIfPresent(Int64.self, forKey: .virtualSize) ?? size
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        containers = try container.decodeIfPresent(Int64.self, forKey: .containers) ?? -1
    }
}
