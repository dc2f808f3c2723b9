import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// A client of the shim's attach socket.
final class AttachClient {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard fd >= 0, connected == 0 else { throw CoveError(.io, "cannot connect to \(path)") }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// Reads until `done` holds for what arrived or 10 s pass.
    func read(until done: ([UInt8]) -> Bool) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(10)
        while !done(received) && Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer.prefix(count)
        }
        return received
    }

    /// Docker's multiplexed frames: (stream, payload) pairs.
    static func frames(_ bytes: [UInt8]) -> [(Int, String)] {
        var frames: [(Int, String)] = []
        var rest = bytes[...]
        while rest.count >= 8 {
            let header = Array(rest.prefix(8))
            let length = header[4...7].reduce(0) { $0 << 8 | Int($1) }
            guard rest.count >= 8 + length else { break }
            frames.append((Int(header[0]), String(decoding: rest.dropFirst(8).prefix(length), as: UTF8.self)))
            rest = rest.dropFirst(8 + length)
        }
        return frames
    }
}

@Suite("Attach", .serialized)
struct AttachTests {
    @Test("without a tty: input reaches stdin, output comes back in Docker's multiplexed frames")
    func multiplexed() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["sh", "-c", "read line; echo \"got $line\"; echo err >&2"])
        spec.openStdin = true
        let handle = try fixture.create(spec)
        let client = try AttachClient(path: handle.attachSocketPath)
        try fixture.runtime.start(handle)
        client.send("hello\n")
        let bytes = client.read { AttachClient.frames($0).count >= 2 }
        let frames = AttachClient.frames(bytes)
        #expect(frames.contains { $0 == (1, "got hello\n") })
        #expect(frames.contains { $0 == (2, "err\n") })
        #expect(try fixture.runtime.wait(handle).exitCode == 0)
    }

    @Test("with a tty: raw output, input through the pty; close-stdin ends a reader without one")
    func ttyAndCloseStdin() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["sh", "-c", "read line; echo \"got $line\""])
        spec.tty = true
        spec.openStdin = true
        let handle = try fixture.create(spec)
        let client = try AttachClient(path: handle.attachSocketPath)
        try fixture.runtime.start(handle)
        client.send("hi\n")
        let output = String(
            decoding: client.read { String(decoding: $0, as: UTF8.self).contains("got hi") }, as: UTF8.self)
        #expect(output.contains("got hi\r\n"))
        #expect(try fixture.runtime.wait(handle).exitCode == 0)

        var catSpec = fixture.spec(["cat"])
        catSpec.openStdin = true
        let cat = try fixture.create(catSpec)
        let writer = try AttachClient(path: cat.attachSocketPath)
        try fixture.runtime.start(cat)
        writer.send("abc\n")
        _ = writer.read { !AttachClient.frames($0).isEmpty }
        try fixture.runtime.closeStdin(cat)
        #expect(try fixture.runtime.wait(cat).exitCode == 0)
        #expect(try LogEntry.read(cat.logPath).map(\.log) == ["abc\n"])
    }
}
