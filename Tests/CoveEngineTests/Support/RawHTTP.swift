import NIOCore
import NIOPosix

/// Sends raw bytes to a UNIX socket and reads everything the server writes until it closes,
/// so tests can send what no HTTP client would.
enum RawHTTP {
    /// Writes `bytes`, half-closes (so the server finishes and closes), and returns what came back.
    static func exchange(_ bytes: [UInt8], socket: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { try await send(bytes, socket: socket) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestFailure("no complete answer from \(socket) within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? ""
        }
    }

    static func exchange(_ text: String, socket: String) async throws -> String {
        try await exchange(Array(text.utf8), socket: socket)
    }

    private static func send(_ bytes: [UInt8], socket: String) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(unixDomainSocketPath: socket) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            outbound.finish()
            var received: [UInt8] = []
            do {
                for try await chunk in inbound { received += chunk.readableBytesView }
            } catch let error as ChannelError where error == .eof || error == .ioOnClosedChannel {
                // the server closed first: what arrived is the answer
            } catch let error as IOError where error.errnoCode == 104 {
                // ECONNRESET: the server closed with our unread bytes pending
            }
            return String(decoding: received, as: UTF8.self)
        }
    }
}
