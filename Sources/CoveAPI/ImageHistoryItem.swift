/// One entry of `GET /images/{name}/history` (API v1.43 `HistoryResponseItem`), newest first.
public struct ImageHistoryItem: Codable, Sendable, Equatable {
    public var id: String
    /// Unix seconds.
    public var created: Int64
    public var createdBy: String
    /// The image's tags on the newest entry; null on the others, as Docker writes them.
    public var tags: [String]?
    public var size: Int64
    public var comment: String

    public init(id: String, created: Int64, createdBy: String, tags: [String]?, size: Int64, comment: String) {
        self.id = id
        self.created = created
        self.createdBy = createdBy
        self.tags = tags
        self.size = size
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case created = "Created"
        case createdBy = "CreatedBy"
        case tags = "Tags"
        case size = "Size"
        case comment = "Comment"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(created, forKey: .created)
        try container.encode(createdBy, forKey: .createdBy)
        if let tags { try container.encode(tags, forKey: .tags) } else { try container.encodeNil(forKey: .tags) }
        try container.encode(size, forKey: .size)
        try container.encode(comment, forKey: .comment)
    }
}
