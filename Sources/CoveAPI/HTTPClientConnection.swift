import CoveHTTP
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 exchange with the engine over its UNIX socket, the whole response read into memory
/// (`CoveHTTP.HTTPConnection` does the work; streamed answers go through `EngineClient.stream`).
enum HTTPClientConnection {
    /// The largest response body accepted, so a misbehaving server cannot exhaust memory.
    static let maximumBodySize = 64 << 20

    typealias Failure = HTTPClientFailure
    typealias RequestBody = HTTPConnection.RequestBody

    /// Sends `head` and `body` to the server on `socketPath` and returns its response; `timeout`
    /// limits the whole exchange.
    static func exchange(
        socketPath: String, head: HTTPRequestHead, body: RequestBody, timeout: TimeAmount?, group: any EventLoopGroup
    ) async throws(Failure) -> (head: HTTPResponseHead, body: [UInt8]) {
        try await HTTPConnection.exchange(
            .unix(path: socketPath), head: head, body: body, limits: .init(total: timeout),
            maximumBodySize: maximumBodySize, group: group)
    }
}
