/// The body of every API error response: `{"message": "..."}`.
public struct APIErrorBody: Codable, Sendable, Equatable {
    /// What went wrong, for a person.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case message
    }
}
