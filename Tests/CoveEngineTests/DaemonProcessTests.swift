import CoveLinux
import Foundation
import Testing

/// `cove daemon` as a process: lifecycle, the root lock, the socket, and malformed requests.
@Suite(.serialized, .timeLimit(.minutes(2))) struct DaemonProcessTests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func ping(_ socket: String) async throws -> String {
        try await RawHTTP.exchange("GET /_ping HTTP/1.1\r\nHost: cove\r\nConnection: close\r\n\r\n", socket: socket)
    }

    @Test func startsOnAFreshRootWithPrivateStateAndAGroupSocket() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        #expect(try mode(daemon.root) == 0o700)
        #expect(try mode(daemon.socket) == 0o660)
        #expect(PidFile(path: daemon.pidPath).read() == daemon.pid)
        #expect(FileManager.default.fileExists(atPath: daemon.root + "/daemon.lock"))
        let answer = try await ping(daemon.socket)
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(answer.hasSuffix("\r\n\r\nOK"))
        let rss = try #require(daemon.residentKiB)
        print("cove daemon idle RSS after one ping: \(rss) KiB (\(rss / 1024) MiB)")
        #expect(rss < 64 * 1024, "idle RSS \(rss) KiB")
    }

    @Test(arguments: [Signal.terminate, Signal.interrupt])
    func stopSignalExitsZeroAndRemovesSocketAndPidFile(signal: Signal) throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        try signal.send(to: daemon.pid)
        let status = daemon.waitForExit()
        #expect(status == 0, "exit status \(String(describing: status)):\n\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
        #expect(!FileManager.default.fileExists(atPath: daemon.pidPath))
        #expect(daemon.log.contains("received \(signal), shutting down"))
    }

    @Test func secondDaemonOnTheSameRootFailsAndTheFirstKeepsServing() async throws {
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        try first.waitUntilServing()
        let second = try DaemonProcess(root: first.root)
        defer { second.cleanUp() }
        #expect(second.waitForExit() == 1)
        #expect(
            second.log.contains(
                "error: another cove daemon (pid \(first.pid)) is already running on root \(first.root)"),
            "\(second.log)")
        #expect(!FileManager.default.fileExists(atPath: second.socket))
        #expect(PidFile(path: first.pidPath).read() == first.pid)
        #expect(try await ping(first.socket).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func daemonOnAnotherRootRefusesALiveSocket() async throws {
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        try first.waitUntilServing()
        let second = try DaemonProcess(socket: first.socket)
        defer { second.cleanUp() }
        #expect(second.waitForExit() == 1)
        #expect(second.log.contains("another daemon is already serving on \(first.socket)"), "\(second.log)")
        #expect(!FileManager.default.fileExists(atPath: second.pidPath), "the failed daemon leaves no pid file")
        #expect(try await ping(first.socket).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func staleSocketAndPidFileLeftByKillNineAreReplaced() async throws {
        let killed = try DaemonProcess()
        defer { killed.cleanUp() }
        try killed.waitUntilServing()
        try Signal.kill.send(to: killed.pid)
        #expect(killed.waitForExit() != nil)
        #expect(FileManager.default.fileExists(atPath: killed.socket), "kill -9 leaves the socket behind")
        let next = try DaemonProcess(root: killed.root, socket: killed.socket)
        defer { next.cleanUp() }
        try next.waitUntilServing()
        #expect(next.log.contains("removed stale socket \(killed.socket)"))
        #expect(PidFile(path: next.pidPath).read() == next.pid)
        #expect(try await ping(next.socket).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func somethingThatIsNotASocketIsLeftAlone() throws {
        let socket = "/tmp/cove-test-\(UUID().uuidString.lowercased()).sock"
        try "not a socket".write(toFile: socket, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(socket: socket)
        defer { daemon.cleanUp() }
        #expect(daemon.waitForExit() == 1)
        #expect(daemon.log.contains("\(socket) exists and is not a socket; not removing it"), "\(daemon.log)")
        #expect(try String(contentsOfFile: socket, encoding: .utf8) == "not a socket")
    }

    @Test func malformedRequestsNeverCrashTheDaemon() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let socket = daemon.socket
        #expect(try await RawHTTP.exchange("GARBAGE\r\n\r\n", socket: socket).hasPrefix("HTTP/1.1 400"))
        #expect(try await RawHTTP.exchange((0...255).map { UInt8($0) }, socket: socket).hasPrefix("HTTP/1.1 400"))
        let badLength = "GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
        #expect(try await RawHTTP.exchange(badLength, socket: socket).hasPrefix("HTTP/1.1 400"))
        let hugeHeader = "GET /_ping HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 200_000) + "\r\n\r\n"
        #expect(try await RawHTTP.exchange(hugeHeader, socket: socket).hasPrefix("HTTP/1.1 4"))
        let bigBody = "POST /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
        let answer = try await RawHTTP.exchange(
            Array(bigBody.utf8) + [UInt8](repeating: 0x41, count: 2_000_000), socket: socket)
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
        #expect(answer.contains("Connection: close"))
        let truncated = try await RawHTTP.exchange("GET /_ping HTTP/1.1\r\nHo", socket: socket)
        #expect(truncated.hasPrefix("HTTP/1.1 400"))
        #expect(
            try await RawHTTP.exchange("", socket: socket) == "",
            "a client that sends nothing and half-closes is closed")
        let keepAliveThenHalfClose = try await RawHTTP.exchange(
            "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n", socket: socket)
        #expect(keepAliveThenHalfClose.hasPrefix("HTTP/1.1 200 OK"), "answered, then closed after the half-close")
        #expect(daemon.process.isRunning)
        #expect(try await ping(socket).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let requests =
            "GET /v1.99/version HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let answer = try await RawHTTP.exchange(requests, socket: daemon.socket)
        let statuses = answer.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("HTTP/1.1 ") }
        #expect(statuses == ["HTTP/1.1 400 Bad Request", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"])
        #expect(
            answer.contains(#"{"message":"client version 1.99 is too new. Maximum supported API version is 1.43"}"#))
        #expect(answer.contains(#"{"message":"page not found"}"#))
        #expect(daemon.log.contains("GET /nope 404"), "requests are logged at debug level")
    }
}
