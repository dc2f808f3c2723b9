/// The answer to `POST /volumes/prune`.
public struct VolumePruneResponse: Codable, Sendable, Equatable {
    public var volumesDeleted: [String]
    /// Bytes freed.
    public var spaceReclaimed: Int64

    public init(volumesDeleted: [String], spaceReclaimed: Int64) {
        self.volumesDeleted = volumesDeleted
        self.spaceReclaimed = spaceReclaimed
    }

    enum CodingKeys: String, CodingKey {
        case volumesDeleted = "VolumesDeleted"
        case spaceReclaimed = "SpaceReclaimed"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        volumesDeleted = try container.decodeIfPresent([String].self, forKey: .volumesDeleted) ?? []
        spaceReclaimed = try container.decodeIfPresent(Int64.self, forKey: .spaceReclaimed) ?? 0
    }
}
