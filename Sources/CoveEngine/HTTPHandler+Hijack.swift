import CoveCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP handlers of a connection, kept so that a hijack can remove them.
struct HTTPCodecHandlers {
    let encoder: HTTPResponseEncoder
    let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    let pipelining: HTTPServerPipelineHandler
    let errors: HTTPServerProtocolErrorHandler
}

extension HTTPHandler {
    /// Connects to the hijack's socket, answers `101 UPGRADED` (or 500 when the socket does not
    /// answer), then leaves HTTP: the codec handlers and this one are removed and the two
    /// connections are joined byte for byte until either side closes.
    func hijack(
        _ hijack: ConnectionHijack, head: HTTPResponseHead, codec: HTTPCodecHandlers, context: ChannelHandlerContext
    ) {
        let channel = context.channel
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        let inputClosed = hijack.inputClosed
        let joined = hijack.joined
        // The shim's side is not read until both bridges are in place: output, or the end of a
        // container that exits at once, arriving before would otherwise be dropped and leave the
        // client waiting for an end that never comes.
        ClientBootstrap(group: loop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.autoRead, value: false)
            .connect(unixDomainSocketPath: hijack.socketPath)
            .whenComplete { result in
                let (handler, context) = bound.value
                switch result {
                case .failure(let error):
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "application/json")
                    let body =
                        Array(#"{"message":"cannot attach: the container's shim does not answer"}"#.utf8) + [0x0A]
                    headers.add(name: "Content-Length", value: String(body.count))
                    headers.add(name: "Connection", value: "close")
                    handler.logger.debug("attach to \(hijack.socketPath) failed: \(error)")
                    context.write(
                        handler.wrapOutboundOut(
                            .head(
                                HTTPResponseHead(version: head.version, status: .internalServerError, headers: headers))
                        ),
                        promise: nil)
                    context.write(
                        handler.wrapOutboundOut(.body(.byteBuffer(channel.allocator.buffer(bytes: body)))), promise: nil
                    )
                    context.writeAndFlush(handler.wrapOutboundOut(.end(nil))).whenComplete { _ in
                        channel.close(promise: nil)
                    }
                case .success(let peer):
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: hijack.contentType)
                    headers.add(name: "Connection", value: "Upgrade")
                    headers.add(name: "Upgrade", value: "tcp")
                    let upgraded = HTTPResponseHead(
                        version: head.version, status: .switchingProtocols, headers: headers)
                    context.writeAndFlush(handler.wrapOutboundOut(.head(upgraded))).whenComplete { _ in
                        let sync = channel.pipeline.syncOperations
                        // With `joined`, the client is kept open until what it returns is sent.
                        let gate = joined.map { _ in loop.makePromise(of: Void.self) }
                        do {
                            try sync.addHandler(AttachBridge(peer: peer, inputClosed: inputClosed))
                            try peer.pipeline.syncOperations.addHandler(
                                AttachBridge(peer: channel, inputClosed: nil, closeGate: gate?.futureResult))
                        } catch {
                            gate?.succeed()
                            channel.close(promise: nil)
                            peer.close(promise: nil)
                            return
                        }
                        sync.removeHandler(context: context, promise: nil)
                        sync.removeHandler(codec.errors, promise: nil)
                        sync.removeHandler(codec.pipelining, promise: nil)
                        sync.removeHandler(codec.decoder, promise: nil)
                        sync.removeHandler(codec.encoder, promise: nil)
                        guard let joined, let gate else {
                            Self.readPeer(peer, client: channel)
                            return
                        }
                        Task {
                            let bytes = await joined()
                            if !bytes.isEmpty {
                                try? await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
                            }
                            gate.succeed()
                            Self.readPeer(peer, client: channel)
                        }
                    }
                }
            }
    }
}

extension HTTPHandler {
    /// Starts reading the hijack's socket, whose bytes the bridge passes to the client.
    static func readPeer(_ peer: any Channel, client: any Channel) {
        peer.setOption(.autoRead, value: true).whenFailure { _ in
            client.close(promise: nil)
            peer.close(promise: nil)
        }
    }
}

/// Passes the bytes read on one connection to its peer; a close on either side closes both. The
/// client's half-close is reported (`inputClosed`) and passed on as a half-close.
final class AttachBridge: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let peer: any Channel
    let inputClosed: (@Sendable () -> Void)?
    /// The last write to the peer: the end of input is reported once it is out.
    private let lastWrite: NIOLockedValueBox<EventLoopFuture<Void>?> = NIOLockedValueBox(nil)

    /// The peer is not closed before this completes.
    let closeGate: EventLoopFuture<Void>?

    init(peer: any Channel, inputClosed: (@Sendable () -> Void)?, closeGate: EventLoopFuture<Void>? = nil) {
        self.peer = peer
        self.inputClosed = inputClosed
        self.closeGate = closeGate
    }

    private func closePeer() {
        let peer = peer
        guard let closeGate else { return peer.close(promise: nil) }
        closeGate.whenComplete { _ in peer.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let written = peer.writeAndFlush(unwrapInboundIn(data))
        lastWrite.withLockedValue { $0 = written }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            if let inputClosed {
                // The shim reads its control FIFO and the attach socket in one poll: the input
                // written last is given time to be read before stdin is closed behind it.
                let loop = context.eventLoop
                let written = lastWrite.withLockedValue { $0 } ?? loop.makeSucceededVoidFuture()
                written.whenComplete { _ in
                    loop.scheduleTask(in: .milliseconds(100)) { inputClosed() }
                }
            } else {
                context.close(promise: nil)
                closePeer()
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closePeer()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
        closePeer()
    }
}
