import CoveAPI
import Foundation

/// One API response: a status, headers and either a complete body or a stream.
///
/// A complete body is sent with `Content-Length`. A response with a `stream` is sent with chunked
/// transfer encoding, chunk by chunk as the stream yields them (`body` is ignored then): the next
/// chunk is asked for only when the previous one is written, so a producer built with
/// `AsyncThrowingStream(unfolding:)` is paced by the client. A stream that throws ends the
/// response by closing the connection.
public struct APIResponse: Sendable, Equatable {
    /// A body produced while it is sent.
    public typealias Stream = AsyncThrowingStream<[UInt8], any Error>

    /// The HTTP status code.
    public var status: Int
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// The body, when it is streamed.
    public var stream: Stream?

    public init(status: Int, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A streamed response.
    public init(status: Int, headers: [HTTPField] = [], stream: Stream) {
        self.status = status
        self.headers = headers
        self.body = []
        self.stream = stream
    }

    /// Equal status, headers and complete body; streams are not compared.
    public static func == (lhs: APIResponse, rhs: APIResponse) -> Bool {
        lhs.status == rhs.status && lhs.headers == rhs.headers && lhs.body == rhs.body
            && (lhs.stream == nil) == (rhs.stream == nil)
    }

    /// `value` as JSON (`Content-Type: application/json`, a newline after it, as Docker writes it).
    public static func json(_ value: some Encodable, status: Int = 200) -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return error(500, "cannot encode the response as JSON")
        }
        return APIResponse(
            status: status, headers: [HTTPField("Content-Type", "application/json")], body: Array(data) + [0x0A])
    }

    /// An error: `{"message": message}` with `status`.
    public static func error(_ status: Int, _ message: String) -> APIResponse {
        json(APIErrorBody(message: message), status: status)
    }

    /// Plain text (`Content-Type: text/plain; charset=utf-8`).
    public static func text(_ text: String, status: Int = 200) -> APIResponse {
        APIResponse(
            status: status, headers: [HTTPField("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Sets header `name` to `value`, replacing every field of that name (case-insensitive).
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append(HTTPField(name, value))
    }
}
