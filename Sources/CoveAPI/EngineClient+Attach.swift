import CoveCore
import Foundation
import NIOCore
import NIOPosix

extension EngineClient {
    /// `POST /containers/{id}/attach` hijacked, as `docker run -i` uses it: once the engine has
    /// answered `101`, `attached` runs (the caller starts the container then); the container's
    /// output goes to `onOutput` as it comes (Docker's multiplexed frames, raw with a tty) and
    /// `input`'s bytes go to the container's stdin, whose end is sent as a half-close. Returns
    /// when the engine closes the connection (the container has exited).
    public func attach(
        container: String, input: AsyncStream<[UInt8]>, attached: @Sendable () async throws(CoveError) -> Void,
        onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(CoveError) {
        let path = "/v\(apiVersion)/containers/\(container)/attach?stream=1&stdin=1&stdout=1&stderr=1"
        let request =
            "POST \(path) HTTP/1.1\r\nHost: cove\r\nUser-Agent: \(userAgent)\r\nContent-Length: 0\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .connect(unixDomainSocketPath: host.socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: request))
                var iterator = inbound.makeAsyncIterator()
                var head: [UInt8] = []
                var rest: [UInt8] = []
                while rest.isEmpty, !Self.headEnds(head) {
                    guard let buffer = try await iterator.next() else {
                        throw CoveError(.io, "the engine closed the attach connection before answering")
                    }
                    head += buffer.readableBytesView
                    if let end = Self.headEnd(head) {
                        rest = Array(head[end...])
                        head = Array(head[..<end])
                        break
                    }
                }
                let status = String(decoding: head.prefix { $0 != 0x0D }, as: UTF8.self)
                guard status.contains(" 101 ") else {
                    throw CoveError(.internalError, "the engine refused to attach: \(status)")
                }
                try await attached()
                if !rest.isEmpty { onOutput(rest) }
                let writer = Task {
                    for await bytes in input { try await outbound.write(ByteBuffer(bytes: bytes)) }
                    outbound.finish()
                }
                defer { writer.cancel() }
                while let buffer = try await iterator.next() { onOutput(Array(buffer.readableBytesView)) }
            }
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.io, "cannot attach to container \(container) at \(host)", cause: "\(error)")
        }
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            return index + 4
        }
        return nil
    }

    static func headEnds(_ bytes: [UInt8]) -> Bool { headEnd(bytes) != nil }
}
