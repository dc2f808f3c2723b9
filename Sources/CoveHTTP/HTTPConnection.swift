import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 exchange over a new connection, to a UNIX socket or a TCP port: connect, send the
/// request, hand the response head and its body (as it arrives) to the caller, close.
///
/// A connection per request keeps the client stateless. The body is read as it arrives, so a
/// caller can stream a large download to disk; `collect` gathers a small one. Plain HTTP only.
public enum HTTPConnection {
    /// A request body: none, bytes in memory, a file read in chunks, or chunks from a producer.
    public enum RequestBody: Sendable {
        case none
        case bytes([UInt8])
        /// Read from the handle's current position to its end, `uploadChunkSize` bytes at a time, on
        /// NIO's blocking thread pool (so a slow pipe such as stdin never blocks an event loop).
        case file(FileHandle)
        /// The next chunk each time it is called, `nil` at the end.
        case producer(@Sendable () async throws -> [UInt8]?)
    }

    /// How long to wait, overall and between two reads.
    public struct Limits: Sendable {
        /// The whole exchange must end within this time; `nil` for no limit.
        public var total: TimeAmount?
        /// The exchange fails when nothing arrives for this long (a stalled server); `nil` for no limit.
        public var idle: TimeAmount?
        /// Connecting must succeed within this time.
        public var connect: TimeAmount

        public init(total: TimeAmount? = nil, idle: TimeAmount? = nil, connect: TimeAmount = .seconds(10)) {
            self.total = total
            self.idle = idle
            self.connect = connect
        }
    }

    /// How many bytes of a file body are read and written at a time.
    public static let uploadChunkSize = 256 << 10

    /// Sends `head` and `body` to `endpoint` and returns what `handle` makes of the response.
    ///
    /// - Throws: `HTTPClientFailure`; an error `handle` throws comes back as `.transport`, unless it is
    ///   itself an `HTTPClientFailure`.
    public static func exchange<Result: Sendable>(
        _ endpoint: HTTPEndpoint, head: HTTPRequestHead, body: RequestBody, limits: Limits,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handle: (HTTPResponseHead, inout HTTPResponseBody) async throws -> Result
    ) async throws(HTTPClientFailure) -> Result {
        let channel = try await connect(endpoint, limits: limits, group: group)
        let timedOut = NIOLockedValueBox(false)
        let activity = NIOLockedValueBox(NIODeadline.now())
        arm(limits, on: channel.channel, timedOut: timedOut, activity: activity)
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
                        activity.withLockedValue { $0 = .now() }
                    }
                case .producer(let next):
                    while let chunk = try await next() {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                        activity.withLockedValue { $0 = .now() }
                    }
                }
                try await outbound.write(.end(nil))
                var reader = HTTPResponseBody(iterator: inbound.makeAsyncIterator(), activity: activity)
                guard let responseHead = try await reader.nextHead() else { throw HTTPClientFailure.incomplete }
                return try await handle(responseHead, &reader)
            }
        } catch {
            if timedOut.withLockedValue({ $0 }) { throw .timedOut }
            if let failure = error as? HTTPClientFailure { throw failure }
            if let channelError = error as? ChannelError, channelError == .eof || channelError == .ioOnClosedChannel {
                throw .incomplete
            }
            if let parserError = error as? HTTPParserError, parserError == .invalidEOFState { throw .incomplete }
            throw .transport(error)
        }
    }

    /// Sends `head` and `body` and returns the response with its whole body, refusing a body larger
    /// than `maximumBodySize`.
    public static func exchange(
        _ endpoint: HTTPEndpoint, head: HTTPRequestHead, body: RequestBody, limits: Limits, maximumBodySize: Int,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(HTTPClientFailure) -> (head: HTTPResponseHead, body: [UInt8]) {
        try await exchange(endpoint, head: head, body: body, limits: limits, group: group) { head, reader in
            (head, try await reader.collect(upTo: maximumBodySize))
        }
    }

    private typealias Channel = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    private static func connect(_ endpoint: HTTPEndpoint, limits: Limits, group: any EventLoopGroup)
        async throws(HTTPClientFailure) -> Channel
    {
        let bootstrap = ClientBootstrap(group: group).connectTimeout(limits.connect)
        let wrap: @Sendable (any NIOCore.Channel) -> EventLoopFuture<Channel> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try Channel(wrappingChannelSynchronously: channel)
            }
        }
        do {
            switch endpoint {
            case .unix(let path):
                return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: wrap)
            case .tcp(let host, let port):
                return try await bootstrap.connect(host: host, port: port, channelInitializer: wrap)
            }
        } catch {
            throw .connect(error)
        }
    }

    /// Closes the channel when the total time is up or nothing moved for the idle time, noting why.
    private static func arm(
        _ limits: Limits, on channel: any NIOCore.Channel, timedOut: NIOLockedValueBox<Bool>,
        activity: NIOLockedValueBox<NIODeadline>
    ) {
        let loop = channel.eventLoop
        if let total = limits.total {
            let closer = loop.scheduleTask(in: total) {
                timedOut.withLockedValue { $0 = true }
                channel.close(promise: nil)
            }
            channel.closeFuture.whenComplete { _ in closer.cancel() }
        }
        if let idle = limits.idle {
            let check = TimeAmount.nanoseconds(max(idle.nanoseconds / 4, 10_000_000))
            let watcher = loop.scheduleRepeatedTask(initialDelay: check, delay: check) { task in
                let last: NIODeadline = activity.withLockedValue { $0 }
                guard last + idle < NIODeadline.now() else { return }
                timedOut.withLockedValue { $0 = true }
                task.cancel()
                channel.close(promise: nil)
            }
            channel.closeFuture.whenComplete { _ in watcher.cancel() }
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

/// The body of a response, read as it arrives. Belongs to the exchange's handler.
public struct HTTPResponseBody {
    var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    let activity: NIOLockedValueBox<NIODeadline>
    private var ended = false

    init(
        iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
        activity: NIOLockedValueBox<NIODeadline>
    ) {
        self.iterator = iterator
        self.activity = activity
    }

    /// The response head, skipping informational (1xx) answers; nil when the connection ends first.
    mutating func nextHead() async throws -> HTTPResponseHead? {
        while let part = try await iterator.next() {
            activity.withLockedValue { $0 = .now() }
            guard case .head(let head) = part else { continue }
            if head.status.code >= 200 || head.status.code < 100 { return head }
        }
        return nil
    }

    /// The next piece of the body, or nil at its end.
    /// - Throws: `HTTPClientFailure.incomplete` when the connection ends before the body does.
    public mutating func next() async throws -> ByteBuffer? {
        guard !ended else { return nil }
        while let part = try await iterator.next() {
            activity.withLockedValue { $0 = .now() }
            switch part {
            case .head: continue
            case .body(let buffer): return buffer
            case .end:
                ended = true
                return nil
            }
        }
        throw HTTPClientFailure.incomplete
    }

    /// The rest of the body, refusing more than `limit` bytes.
    public mutating func collect(upTo limit: Int) async throws -> [UInt8] {
        var received: [UInt8] = []
        while let buffer = try await next() {
            guard received.count + buffer.readableBytes <= limit else { throw HTTPClientFailure.tooLarge }
            received += buffer.readableBytesView
        }
        return received
    }
}
