import Foundation

/// A response body produced piece by piece while it is sent (chunked transfer encoding): the JSON
/// progress lines of a pull or a push, a saved archive. The status and headers go first; `produce`
/// then writes. A producer that throws ends the response without its last chunk (the connection is
/// closed), so the client cannot take a body cut short for a whole one.
public struct ResponseStream: Sendable, Equatable {
    public typealias Producer = @Sendable (ResponseStreamWriter) async throws -> Void

    let produce: Producer
    /// Tells streams apart for `Equatable` (a closure cannot be compared).
    private let id = UUID()

    public init(_ produce: @escaping Producer) {
        self.produce = produce
    }

    public static func == (lhs: ResponseStream, rhs: ResponseStream) -> Bool { lhs.id == rhs.id }
}

/// Writes the pieces of a streamed body. Each write waits until the piece is handed to the socket.
public struct ResponseStreamWriter: Sendable {
    let writeChunk: @Sendable ([UInt8]) async -> Bool
    let gone: @Sendable () async -> Bool

    /// `gone` tells whether the client has closed its side (a producer that may wait long
    /// between writes, as `/events`, stops then).
    public init(
        _ writeChunk: @escaping @Sendable ([UInt8]) async -> Bool,
        gone: @escaping @Sendable () async -> Bool = { false }
    ) {
        self.writeChunk = writeChunk
        self.gone = gone
    }

    /// Whether the client has left (closed or half-closed its connection).
    public var clientGone: Bool { get async { await gone() } }

    /// Sends `bytes`; false when the client is gone (the producer may stop or carry on).
    @discardableResult
    public func write(_ bytes: [UInt8]) async -> Bool { await writeChunk(bytes) }

    /// Sends `value` as one line of compact JSON, as Docker's progress streams are.
    @discardableResult
    public func writeLine(_ value: some Encodable) async -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return false }
        return await writeChunk(Array(data) + [0x0A])
    }
}

extension APIResponse {
    /// A 200 answer whose body `produce` writes as it goes (`Content-Type: application/json`).
    public static func stream(_ produce: @escaping ResponseStream.Producer) -> APIResponse {
        var response = APIResponse(status: 200, headers: [HTTPField("Content-Type", "application/json")])
        response.stream = ResponseStream(produce)
        return response
    }
}
