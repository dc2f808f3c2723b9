import CoveLinux
import Foundation
import NIOCore
import NIOPosix

/// Debian's `docker-registry` (the distribution registry) started by a test on a free loopback port,
/// with filesystem storage in a temporary directory, optionally behind htpasswd authentication.
/// `cleanUp()` kills only this process, by its pid, and removes only its directory.
final class RegistryProcess {
    static let binary = ExternalCommand.which("docker-registry") ?? ExternalCommand.which("registry")
    static let htpasswd = ExternalCommand.which("htpasswd")

    let directory = NSTemporaryDirectory() + "cove-registry-" + UUID().uuidString.lowercased()
    let port: Int
    let process = Process()

    /// `127.0.0.1:<port>`, the registry's domain in references.
    var address: String { "127.0.0.1:\(port)" }
    var storage: String { directory + "/storage" }
    var log: String { (try? String(contentsOfFile: directory + "/registry.log", encoding: .utf8)) ?? "" }

    /// Starts the registry; with `user`, it requires that user and `password` (bcrypt htpasswd).
    init(user: String? = nil, password: String = "") throws {
        guard let binary = Self.binary else {
            throw TestFailure("docker-registry not on PATH (apt-get install docker-registry)")
        }
        port = try Self.freePort()
        do {
            try FileManager.default.createDirectory(atPath: directory + "/storage", withIntermediateDirectories: true)
            var config = """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: \(directory)/storage
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:\(port)

                """
            if let user {
                guard let htpasswd = Self.htpasswd else { throw TestFailure("htpasswd not on PATH (apache2-utils)") }
                let made = try ExternalCommand.run(htpasswd, ["-Bbn", user, password])
                guard made.status == 0 else { throw TestFailure("htpasswd failed: \(made.stderr)") }
                try Data(made.stdout.utf8).write(to: URL(fileURLWithPath: directory + "/htpasswd"))
                config += """
                    auth:
                      htpasswd:
                        realm: cove-test
                        path: \(directory)/htpasswd

                    """
            }
            try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.yml"))
            _ = FileManager.default.createFile(atPath: directory + "/registry.log", contents: nil)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", directory + "/config.yml"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/registry.log"))
            process.standardError = process.standardOutput
            try process.run()
            try waitUntilServing()
        } catch {
            cleanUp()
            throw error
        }
    }

    /// Waits until the port accepts connections; fails when the registry exits first or takes over 20 s.
    private func waitUntilServing() throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw TestFailure("docker-registry exited before serving:\n\(log)") }
            let connected = try? ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).wait()
            if let connected {
                try? connected.close().wait()
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("docker-registry did not serve within 20 s:\n\(log)")
    }

    /// The file the registry keeps a blob's bytes in (filesystem driver layout).
    func blobFile(_ hex: String) -> String {
        storage + "/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }

    /// Kills the registry if it runs (SIGTERM, then SIGKILL after 5 s) and removes its directory.
    func cleanUp() {
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { try? Signal.kill.send(to: process.processIdentifier) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw TestFailure("no local port") }
        return port
    }
}

/// A server on a loopback port that answers every connection with fixed bytes and closes it: a
/// registry that answers garbage. Runs as a python3 process, killed by pid in `cleanUp()`.
final class CannedServer {
    let port: Int
    let process = Process()

    init(answer: String) throws {
        guard let python3 = ExternalCommand.python3 else { throw TestFailure("python3 not on PATH") }
        port = try RegistryProcess.freePort()
        let script = """
            import socket, sys
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", \(port))); s.listen(16)
            answer = sys.argv[1].encode()
            while True:
                c, _ = s.accept()
                try:
                    c.settimeout(5)
                    request = b""
                    while b"\\r\\n\\r\\n" not in request:
                        chunk = c.recv(65536)
                        if not chunk:
                            break
                        request += chunk
                    c.sendall(answer)
                    # Half-close, then read what is left: closing with unread bytes would send
                    # a reset, which the client may see before the answer.
                    c.shutdown(socket.SHUT_WR)
                    while c.recv(65536):
                        pass
                except OSError:
                    pass
                c.close()
            """
        process.executableURL = URL(fileURLWithPath: python3)
        process.arguments = ["-c", script, answer]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if RegistryProcess.waitUntilListening(port: port) { return }
        cleanUp()
        throw TestFailure("the canned server did not listen within 10 s")
    }

    /// Kills the server (SIGKILL: a child of the test process may have SIGTERM blocked) and reaps it.
    func cleanUp() {
        guard process.isRunning else { return }
        try? Signal.kill.send(to: process.processIdentifier)
        process.waitUntilExit()
    }
}

extension RegistryProcess {
    /// Waits up to 10 s until something accepts connections on 127.0.0.1:`port`.
    static func waitUntilListening(port: Int) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let channel = try? ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).wait()
            {
                try? channel.close().wait()
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
