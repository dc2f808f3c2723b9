import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 exchange over a new connection to a UNIX socket: connect, send the request,
/// read the whole response, close.
///
/// A connection per request keeps the client stateless; over a local socket connecting costs
/// microseconds.
enum HTTPClientConnection {
    /// The largest response body accepted, so a misbehaving server cannot exhaust memory.
    static let maximumBodySize = 64 << 20

    /// What went wrong below HTTP, for `EngineClient` to turn into a `CoveError`.
    enum Failure: Error {
        /// The connection could not be made (`connect` failed).
        case connect(any Error)
        /// The response did not complete within the time limit.
        case timedOut
        /// The server closed the connection before a complete response.
        case incomplete
        /// The response body exceeded `maximumBodySize`.
        case tooLarge
        /// Any other transport error after connecting.
        case transport(any Error)
    }

    /// A request body: none, bytes in memory, or a file read and sent in chunks.
    enum RequestBody: Sendable {
        case none
        case bytes([UInt8])
        /// Read from the handle's current position to its end, `uploadChunkSize` bytes at a time.
        case file(FileHandle)
    }

    /// How many bytes of a file body are read and written at a time.
    static let uploadChunkSize = 256 << 10

    /// Sends `head` (and `body`, if any) to the server on `socketPath` and returns its response.
    static func exchange(
        socketPath: String, head: HTTPRequestHead, body: [UInt8]?, timeout: TimeAmount?, group: any EventLoopGroup
    ) async throws(Failure) -> (head: HTTPResponseHead, body: [UInt8]) {
        try await exchange(
            socketPath: socketPath, head: head, body: body.map(RequestBody.bytes) ?? .none, timeout: timeout,
            group: group)
    }

    /// Sends `head` and `body` to the server on `socketPath` and returns its response. A file body is
    /// read on NIO's blocking thread pool, so reading a slow pipe (stdin) never blocks an event loop.
    static func exchange(
        socketPath: String, head: HTTPRequestHead, body: RequestBody, timeout: TimeAmount?, group: any EventLoopGroup
    ) async throws(Failure) -> (head: HTTPResponseHead, body: [UInt8]) {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: group)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .connect(error)
        }
        let deadline = timeout.map { NIODeadline.now() + $0 }
        if let deadline {
            let underlying = channel.channel
            let closer = underlying.eventLoop.scheduleTask(deadline: deadline) { underlying.close(promise: nil) }
            underlying.closeFuture.whenComplete { _ in closer.cancel() }
        }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(.head(head))
                switch body {
                case .none: break
                case .bytes(let bytes):
                    if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
                case .file(let handle):
                    while let chunk = try await readChunk(handle) {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                    }
                }
                try await outbound.write(.end(nil))
                var responseHead: HTTPResponseHead?
                var received: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let value):
                        responseHead = value
                    case .body(let buffer):
                        guard received.count + buffer.readableBytes <= maximumBodySize else { throw Failure.tooLarge }
                        received += buffer.readableBytesView
                    case .end:
                        if let responseHead { return (responseHead, received) }
                        throw Failure.incomplete
                    }
                }
                throw Failure.incomplete
            }
        } catch {
            if let deadline, NIODeadline.now() >= deadline { throw .timedOut }
            if let failure = error as? Failure { throw failure }
            if let channelError = error as? ChannelError, channelError == .eof || channelError == .ioOnClosedChannel {
                throw .incomplete
            }
            throw .transport(error)
        }
    }

    /// The next chunk of `handle`, or `nil` at its end; read on NIO's blocking thread pool.
    private static func readChunk(_ handle: FileHandle) async throws -> Data? {
        let chunk = try await NIOThreadPool.singleton.runIfActive {
            try handle.read(upToCount: uploadChunkSize)
        }
        guard let chunk, !chunk.isEmpty else { return nil }
        return chunk
    }
}
