import CoveAPI
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import CoveEngine

/// Streamed response bodies (`APIResponse.stream`, `ResponseStream`) through a real server on a UNIX socket.
@Suite struct StreamedResponseTests {
    /// Serves `routes` on a fresh socket for the duration of `body`.
    func withServer(_ routes: [Route], _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cove-stream-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("s.sock").path
        let router = Router(serverVersion: "test", routes: routes)
        let channel = try HTTPServer.bind(
            socketPath: socket, router: router, logger: Logger(label: "test"),
            group: MultiThreadedEventLoopGroup.singleton)
        do {
            try await body(socket)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }

    /// One exchange with the in-process server. The limit is generous: the server's routes run on
    /// Swift's cooperative threads, which the synchronous tests of other suites (running external
    /// commands) can hold for a while on a two-core machine.
    func exchange(_ text: String, socket: String) async throws -> String {
        try await RawHTTP.exchange(Array(text.utf8), socket: socket, timeout: .seconds(180))
    }

    /// The payload of a chunked body, or nil when it is not well formed or lacks its last chunk.
    func dechunk(_ text: String) -> String? {
        var rest = Array(text.utf8)[...]
        var payload: [UInt8] = []
        while let cr = rest.firstIndex(of: 0x0D), rest.dropFirst(cr - rest.startIndex + 1).first == 0x0A {
            guard let size = Int(String(decoding: rest[..<cr], as: UTF8.self), radix: 16) else { return nil }
            rest = rest[(cr + 2)...]
            if size == 0 { return String(decoding: payload, as: UTF8.self) }
            guard rest.count >= size + 2 else { return nil }
            payload += rest.prefix(size)
            rest = rest.dropFirst(size + 2)
        }
        return nil
    }

    @Test func chunksArriveInOrderWithChunkedEncoding() async throws {
        let parts = (0..<50).map { "line \($0)\n" }
        let route = Route(["GET"], "/stream") { _ in
            APIResponse.stream { writer in
                for part in parts { await writer.write(Array(part.utf8)) }
            }
        }
        try await withServer([route]) { socket in
            let answer = try await exchange("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", socket: socket)
            let split = try #require(answer.range(of: "\r\n\r\n"))
            let head = answer[..<split.lowerBound].lowercased()
            #expect(head.hasPrefix("http/1.1 200"))
            #expect(head.contains("transfer-encoding: chunked"))
            #expect(!head.contains("content-length"))
            #expect(dechunk(String(answer[split.upperBound...])) == parts.joined())
        }
    }

    @Test func aStreamThatFailsClosesTheConnectionWithoutTheLastChunk() async throws {
        struct Broken: Error {}
        let route = Route(["GET"], "/broken") { _ in
            APIResponse.stream { writer in
                await writer.write(Array("partial".utf8))
                throw Broken()
            }
        }
        try await withServer([route]) { socket in
            let answer = try await exchange(
                "GET /broken HTTP/1.1\r\nHost: x\r\n\r\nGET /broken HTTP/1.1\r\nHost: x\r\n\r\n", socket: socket)
            let split = try #require(answer.range(of: "\r\n\r\n"))
            let body = String(answer[split.upperBound...])
            #expect(body.contains("partial"))
            #expect(dechunk(body) == nil)
            #expect(answer.components(separatedBy: "HTTP/1.1 200").count == 2)
        }
    }

    @Test func headGetsTheHeadOnly() async throws {
        let route = Route(["GET", "HEAD"], "/stream") { _ in
            APIResponse.stream { _ in }
        }
        try await withServer([route]) { socket in
            let answer = try await exchange("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n", socket: socket)
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.hasSuffix("\r\n\r\n"))
        }
    }
}
