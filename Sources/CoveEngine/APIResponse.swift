import CoveAPI
import Foundation

/// One API response: a status, headers and a complete body, or a body streamed as it is produced
/// (`stream`). `Content-Length` is added to a complete body when it is sent.
public struct APIResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// When set, the body is written by this producer (chunked) and `body` is ignored.
    public var stream: ResponseStream?
    /// When set, the connection leaves HTTP after the head (`101 UPGRADED`) and carries raw bytes
    /// to and from a UNIX socket (Docker's hijacked attach).
    public var hijack: ConnectionHijack?

    public init(status: Int, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `value` as JSON (`Content-Type: application/json`, a newline after it, as Docker writes it).
    public static func json(_ value: some Encodable, status: Int = 200) -> APIResponse {
        guard let line = jsonLine(value) else { return error(500, "cannot encode the response as JSON") }
        return APIResponse(status: status, headers: [HTTPField("Content-Type", "application/json")], body: line)
    }

    /// `value` as one line of JSON (keys sorted, slashes unescaped, a newline at the end), or nil
    /// when it cannot be encoded.
    public static func jsonLine(_ value: some Encodable) -> [UInt8]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { Array($0) + [0x0A] }
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
