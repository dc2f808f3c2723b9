import CoveCore
import Logging
import NIOCore
import NIOHTTP1

/// The end of one connection's HTTP pipeline: gathers each request, asks the `Router`, writes the answer.
///
/// Requests on one connection are answered in order (NIO's pipelining handler holds the next
/// request until this one's response ends). A body larger than `maximumBodySize` is answered
/// with 413 and the connection is closed; protocol errors are answered by NIO's error handler
/// (400) before they reach here. When the client closes its side of the connection, the
/// connection is closed as soon as no response is owed.
///
/// A request for a route that streams its body (`Route.streamsBody`) is handed to the router as
/// soon as its head arrives, with a `RequestBodyStream` fed from here: reading from the socket
/// pauses while the stream's buffer is full. A client that disconnects mid-body makes the stream
/// throw; a route that answers before the body's end gets its answer sent with the connection closed.
final class HTTPHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    let logger: Logger
    private let maximumBodySize: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false
    var responsePending = false
    private var inputClosed = false
    /// The end of the last response written: a close waits for it, so no answer is cut short.
    private var lastWrite: EventLoopFuture<Void>?
    /// Feeds the body of the streaming request in progress, until its end.
    private var streamSource: RequestBodyStream.Producer.Source?
    /// Set when the streaming route answered before the body's end: the rest is dropped.
    private var discardingBody = false
    /// Set when the answer to a request whose body is still arriving is written: the connection is
    /// closed once the body's end has been read (and dropped), so the client, still writing, is
    /// not cut off before it reads the answer.
    private var closeAfterDiscardedBody = false
    /// Set while the body stream's buffer is full: reads are held until the route wants more.
    private var readingPaused = false
    private var pendingRead = false
    /// Set when the connection failed or closed: NIO's error handler may already have answered
    /// (a body cut short is a protocol error), so a late answer from a route is not written.
    var connectionGone = false

    /// The HTTP handlers before this one, removed when the connection is hijacked.
    let codec: HTTPCodecHandlers?

    init(router: Router, logger: Logger, maximumBodySize: Int, codec: HTTPCodecHandlers? = nil) {
        self.codec = codec
        self.router = router
        self.logger = logger
        self.maximumBodySize = maximumBodySize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            body = nil
            bodyTooLarge = false
            discardingBody = false
            if router.streamsBody(method: head.method.rawValue, target: head.uri) {
                startStreaming(head, context: context)
            } else {
                self.head = head
            }
        case .body(var chunk):
            if let streamSource {
                if streamSource.yield(contentsOf: CollectionOfOne(chunk)) == .stopProducing { readingPaused = true }
                return
            }
            guard !bodyTooLarge, !discardingBody else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maximumBodySize {
                bodyTooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            if let streamSource {
                self.streamSource = nil
                streamSource.finish()
                return
            }
            if discardingBody, closeAfterDiscardedBody {
                discardingBody = false
                closeAfterDiscardedBody = false
                closeWhenWritten(context: context)
                return
            }
            discardingBody = false
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if streamSource != nil { connectionGone = true }
            failStream("the client closed its side of the connection before the end of the request body")
            if !responsePending { closeWhenWritten(context: context) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error: \(error)")
        connectionGone = true
        failStream("the connection failed before the end of the request body: \(error)")
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionGone = true
        failStream("the client disconnected before the end of the request body")
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            pendingRead = true
        } else {
            context.read()
        }
    }

    /// Ends the body stream in progress, if any, with an error its route sees.
    private func failStream(_ message: String) {
        guard let streamSource else { return }
        self.streamSource = nil
        streamSource.finish(CoveError(.invalidInput, message))
    }

    /// Hands a streaming request to the router now; its body follows through the stream.
    private func startStreaming(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        responsePending = true
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let demand = BodyDemand(
            produceMore: { loop.execute { bound.value.handler.resumeReading(context: bound.value.context) } },
            terminated: {})
        let (stream, source) = RequestBodyStream.make(demand: demand)
        streamSource = source
        let request = APIRequest(
            method: head.method.rawValue, target: head.uri, headers: head.headers.map { HTTPField($0.name, $0.value) })
        let router = router
        loop.makeFutureWithTask { await router.respond(to: request, bodyStream: stream) }.whenSuccess { response in
            let handler = bound.value.handler
            var keepAlive = head.isKeepAlive
            if let source = handler.streamSource {
                // Answered before the body's end: drop the rest, close once it has been read.
                handler.streamSource = nil
                source.finish()
                handler.discardingBody = true
                keepAlive = false
                handler.resumeReading(context: bound.value.context)
            }
            handler.write(response, for: head, keepAlive: keepAlive, started: started, context: bound.value.context)
        }
    }

    /// The body's consumer wants more: reading resumes, with the read that was held.
    private func resumeReading(context: ChannelHandlerContext) {
        readingPaused = false
        if pendingRead {
            pendingRead = false
            context.read()
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        responsePending = true
        if bodyTooLarge {
            let response = APIResponse.error(413, "request body larger than \(maximumBodySize) bytes")
            write(response, for: head, keepAlive: false, started: started, context: context)
            return
        }
        let request = APIRequest(
            method: head.method.rawValue, target: head.uri,
            headers: head.headers.map { HTTPField($0.name, $0.value) },
            body: body.map { Array($0.readableBytesView) } ?? [])
        body = nil
        let router = router
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask { await router.respond(to: request) }.whenSuccess { response in
            bound.value.handler.write(
                response, for: head, keepAlive: head.isKeepAlive, started: started, context: bound.value.context)
        }
    }

    private func write(
        _ response: APIResponse, for head: HTTPRequestHead, keepAlive: Bool, started: ContinuousClock.Instant,
        context: ChannelHandlerContext
    ) {
        guard !connectionGone else {
            responsePending = false
            logger.debug("\(head.method.rawValue) \(head.uri) \(response.status) not sent: the connection is gone")
            return
        }
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        if response.stream != nil, head.method != .HEAD {
            headers.remove(name: "Content-Length")
        } else {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        let responseHead = HTTPResponseHead(version: head.version, status: status, headers: headers)
        if let hijack = response.hijack, let codec {
            responsePending = false
            self.hijack(hijack, head: responseHead, codec: codec, context: context)
            return
        }
        if let stream = response.stream, head.method != .HEAD {
            context.writeAndFlush(wrapOutboundOut(.head(responseHead)), promise: nil)
            produce(
                stream, for: head, status: response.status, keepAlive: keepAlive, started: started, context: context)
            return
        }
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD && !response.body.isEmpty {
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        finish(head, status: response.status, keepAlive: keepAlive, started: started, context: context)
    }

    /// Runs a streamed body's producer, writing each piece as it comes, then ends the response.
    private func produce(
        _ stream: ResponseStream, for head: HTTPRequestHead, status: Int, keepAlive: Bool,
        started: ContinuousClock.Instant, context: ChannelHandlerContext
    ) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        let writer = ResponseStreamWriter { bytes in
            let promise = loop.makePromise(of: Void.self)
            loop.execute {
                let (handler, context) = bound.value
                guard !handler.connectionGone else {
                    promise.fail(ChannelError.ioOnClosedChannel)
                    return
                }
                let buffer = context.channel.allocator.buffer(bytes: bytes)
                context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: promise)
            }
            do {
                try await promise.futureResult.get()
                return true
            } catch {
                return false
            }
        } gone: {
            let promise = loop.makePromise(of: Bool.self)
            loop.execute {
                let handler = bound.value.handler
                promise.succeed(handler.connectionGone || handler.inputClosed)
            }
            return (try? await promise.futureResult.get()) ?? true
        }
        loop.makeFutureWithTask { try await stream.produce(writer) }.whenComplete { result in
            let (handler, context) = bound.value
            guard !handler.connectionGone else {
                handler.responsePending = false
                handler.logger.debug("\(head.method.rawValue) \(head.uri) \(status): the client left before the end")
                return
            }
            if case .failure(let error) = result {
                // No last chunk: the client sees the body cut short, not a complete one.
                handler.responsePending = false
                handler.logger.debug("\(head.method.rawValue) \(head.uri) \(status): stream failed: \(error)")
                context.close(promise: nil)
                return
            }
            handler.finish(head, status: status, keepAlive: keepAlive, started: started, context: context)
        }
    }

    /// Ends the response in progress and closes the connection when it is not kept alive.
    private func finish(
        _ head: HTTPRequestHead, status: Int, keepAlive: Bool, started: ContinuousClock.Instant,
        context: ChannelHandlerContext
    ) {
        // Writing the end may deliver the next pipelined request and the half-close at once
        // (re-entering this handler), so the state is settled before it.
        responsePending = false
        let written = context.eventLoop.makePromise(of: Void.self)
        lastWrite = written.futureResult
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        if discardingBody && !inputClosed {
            closeAfterDiscardedBody = true
        } else if !keepAlive || (inputClosed && !responsePending) {
            closeWhenWritten(context: context)
        }
        let elapsed = ContinuousClock.now - started
        logger.debug("\(head.method.rawValue) \(head.uri) \(status) \(Self.milliseconds(elapsed)) ms")
    }

    private func closeWhenWritten(context: ChannelHandlerContext) {
        guard let lastWrite else {
            context.close(promise: nil)
            return
        }
        lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"
    }
}
