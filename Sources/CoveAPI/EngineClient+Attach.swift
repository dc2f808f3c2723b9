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
        try await hijack(
            path: "/containers/\(container)/attach?stream=1&stdin=1&stdout=1&stderr=1", body: [], what: container,
            input: input, attached: attached, onOutput: onOutput)
    }

    /// `POST /exec/{id}/start` hijacked, as `docker exec` uses it: the engine starts the exec
    /// once the connection is joined to it (its pty sized `consoleSize` first); otherwise as
    /// `attach`.
    public func startExec(
        _ id: String, tty: Bool, consoleSize: (rows: Int, columns: Int)? = nil, input: AsyncStream<[UInt8]>,
        onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(CoveError) {
        let size = consoleSize.map { #","ConsoleSize":[\#($0.rows),\#($0.columns)]"# } ?? ""
        let body = Array(#"{"Detach":false,"Tty":\#(tty)\#(size)}"#.utf8)
        try await hijack(
            path: "/exec/\(id)/start", body: body, what: "exec \(id)", input: input, attached: {},
            onOutput: onOutput)
    }

    /// Sends a request that asks for `Upgrade: tcp`, then, after `101`, runs `attached` and
    /// copies bytes both ways until the engine closes the connection.
    func hijack(
        path: String, body: [UInt8], what: String, input: AsyncStream<[UInt8]>,
        attached: @Sendable () async throws(CoveError) -> Void, onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(CoveError) {
        let container = what
        let request =
            "POST /v\(apiVersion)\(path) HTTP/1.1\r\nHost: cove\r\nUser-Agent: \(userAgent)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
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
                try await outbound.write(ByteBuffer(bytes: Array(request.utf8) + body))
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
                    let headText = String(decoding: head, as: UTF8.self).lowercased()
                    let length =
                        headText.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                    while rest.count < min(length, 1 << 16), let buffer = try await iterator.next() {
                        rest += buffer.readableBytesView
                    }
                    let message = (try? JSONDecoder().decode(APIErrorBody.self, from: Data(rest)))?.message
                    throw CoveError(
                        status.contains(" 404 ") ? .notFound : status.contains(" 409 ") ? .conflict : .internalError,
                        message ?? "the engine refused to attach: \(status)")
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
            throw CoveError(.io, "cannot attach to \(container) at \(host)", cause: "\(error)")
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
