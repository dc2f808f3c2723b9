import CoveCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The listening side: an HTTP/1.1 server on a UNIX socket, each connection ending in an `HTTPHandler`.
enum HTTPServer {
    /// The largest request body read into memory; routes that stream their body set their own limit.
    static let maximumBodySize = 1 << 20

    /// Binds `socketPath` (which must not exist) and starts accepting connections on `group`.
    static func bind(
        socketPath: String, router: Router, logger: Logger, group: any EventLoopGroup
    ) throws(CoveError) -> any Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // NIO's configureHTTPServerPipeline, with handles kept so that a hijacked
                    // connection (attach) can drop them, and the bytes after the head passed on.
                    let encoder = HTTPResponseEncoder()
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let pipelining = HTTPServerPipelineHandler()
                    let errors = HTTPServerProtocolErrorHandler()
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(encoder)
                    try sync.addHandler(decoder)
                    try sync.addHandler(pipelining)
                    try sync.addHandler(errors)
                    try sync.addHandler(
                        HTTPHandler(
                            router: router, logger: logger, maximumBodySize: maximumBodySize,
                            codec: HTTPCodecHandlers(
                                encoder: encoder, decoder: decoder, pipelining: pipelining, errors: errors)))
                }
            }
        do {
            return try bootstrap.bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: false).wait()
        } catch {
            throw CoveError(.io, "cannot listen on \(socketPath)", cause: "\(error)")
        }
    }
}
