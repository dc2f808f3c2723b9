/// `{"Id": "sha256:…"}`, the answer to `POST /commit`.
public struct ContainerCommitResponse: Codable, Equatable, Sendable {
    public var id: String

    public init(id: String) { self.id = id }

    enum CodingKeys: String, CodingKey { case id = "Id" }
}
