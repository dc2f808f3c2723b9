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
final class HTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let logger: Logger
    private let maximumBodySize: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false
    private var responsePending = false
    private var inputClosed = false
    /// The end of the last response written: a close waits for it, so no answer is cut short.
    private var lastWrite: EventLoopFuture<Void>?

    init(router: Router, logger: Logger, maximumBodySize: Int) {
        self.router = router
        self.logger = logger
        self.maximumBodySize = maximumBodySize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            bodyTooLarge = false
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maximumBodySize {
                bodyTooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if !responsePending { closeWhenWritten(context: context) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error: \(error)")
        context.close(promise: nil)
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
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        let responseHead = HTTPResponseHead(version: head.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD && !response.body.isEmpty {
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        // Writing the end may deliver the next pipelined request and the half-close at once
        // (re-entering this handler), so the state is settled before it.
        responsePending = false
        let written = context.eventLoop.makePromise(of: Void.self)
        lastWrite = written.futureResult
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive || (inputClosed && !responsePending) {
            closeWhenWritten(context: context)
        }
        let elapsed = ContinuousClock.now - started
        logger.debug("\(head.method.rawValue) \(head.uri) \(response.status) \(Self.milliseconds(elapsed)) ms")
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
