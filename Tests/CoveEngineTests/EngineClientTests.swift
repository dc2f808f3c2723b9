import CoveAPI
import CoveCore
import CoveLinux
import Foundation
import Testing

/// `EngineClient` against a real `cove daemon` started by the test on a temporary root and socket.
@Suite(.serialized, .timeLimit(.minutes(2))) struct EngineClientTests {
    @Test func pingVersionAndInfoAnswer() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let client = EngineClient(host: .unix(path: daemon.socket))
        #expect(try await client.ping())
        #expect(try await client.ping(timeout: .seconds(5)))
        let version = try await client.version()
        #expect(version.platform.name == "Cove Engine")
        #expect(version.apiVersion == APIVersion.current.description)
        #expect(version.minAPIVersion == APIVersion.minimum.description)
        #expect(version.os == "linux")
        #expect(version.components.first?.name == "Engine")
        let info = try await client.info()
        #expect(info.dockerRootDir == daemon.root)
        #expect(!info.id.isEmpty)
        #expect(info.serverVersion == version.version)
        #expect(info.swarm.localNodeState == "inactive")
    }

    @Test func sendReturnsStatusHeadersAndBody() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let client = EngineClient(host: .unix(path: daemon.socket))
        let response = try await client.send(method: "GET", path: "/version", query: [("unused", "a b")])
        #expect(response.status == 200)
        #expect(response.header("api-version") == APIVersion.current.description)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(response.text.contains(#""ApiVersion":"1.43""#))
        #expect(daemon.log.contains("/v1.43/version?unused=a%20b"), "\(daemon.log)")
    }

    @Test func anUnknownPathIsANotFoundErrorWithTheEnginesMessage() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let client = EngineClient(host: .unix(path: daemon.socket))
        let error = try await #require(throws: CoveError.self) {
            try await client.send(method: "GET", path: "/no/such/endpoint")
        }
        #expect(error.code == .notFound)
        #expect(error.message == "page not found")
        #expect(error.cause == "HTTP 404 from GET /v1.43/no/such/endpoint")
        let wrongMethod = try await #require(throws: CoveError.self) {
            try await client.send(method: "DELETE", path: "/version")
        }
        #expect(wrongMethod.code == .invalidInput)
        #expect(wrongMethod.message == "method DELETE not allowed on /version")
        #expect(wrongMethod.cause == "HTTP 405 from DELETE /v1.43/version")
    }

    @Test func anOlderAPIVersionIsSentInThePath() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let old = EngineClient(host: .unix(path: daemon.socket), apiVersion: APIVersion.minimum)
        #expect(try await old.send(method: "GET", path: "/_ping").text == "OK")
        let tooOld = EngineClient(host: .unix(path: daemon.socket), apiVersion: APIVersion(components: [1, 12]))
        let error = try await #require(throws: CoveError.self) { try await tooOld.version() }
        #expect(error.code == .invalidInput)
        #expect(error.message.hasPrefix("client version 1.12 is too old"))
    }

    @Test func nothingListeningIsAnIOErrorNamingTheHost() async throws {
        let path = "/tmp/cove-test-\(UUID().uuidString.lowercased()).sock"
        let client = EngineClient(host: .unix(path: path))
        let error = try await #require(throws: CoveError.self) { try await client.ping() }
        #expect(error.code == .io)
        #expect(error.message == "cannot connect to the engine at unix://\(path)")
        #expect(error.cause == "no socket at \(path) (is the daemon running?)")
    }

    @Test func aStaleSocketIsRefused() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        try Signal.kill.send(to: daemon.pid)
        #expect(daemon.waitForExit() != nil)
        let error = try await #require(throws: CoveError.self) {
            try await EngineClient(host: .unix(path: daemon.socket)).version()
        }
        #expect(error.cause == "nothing listens on \(daemon.socket) (is the daemon running?)")
    }
}
