import CoveLinux
import Foundation
import Synchronization
import Testing

/// `cove version` starting its own daemon on first use, as a user would run it: the built binary
/// with `COVE_ROOT` and `COVE_HOST` in a temporary directory.
@Suite(.serialized, .timeLimit(.minutes(2))) struct DaemonAutoStartTests {
    /// A temporary root whose socket is `<root>/cove.sock`; `cleanUp()` stops only a daemon whose
    /// pid file is in this root and whose command line names it.
    final class Scratch: Sendable {
        let root = "/tmp/cove-autostart-" + UUID().uuidString.lowercased()
        var socket: String { root + "/cove.sock" }
        var pidPath: String { root + "/daemon.pid" }
        var log: String { (try? String(contentsOfFile: root + "/daemon.log", encoding: .utf8)) ?? "" }

        init() throws {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        /// Runs `cove arguments` with COVE_ROOT and COVE_HOST set to this scratch and no DOCKER_HOST,
        /// plus `environment` changes.
        func cove(_ arguments: [String], environment: [String: String?] = [:]) throws -> ExternalCommand.Result {
            let binary = try #require(DaemonProcess.binary, "cove binary not found beside the tests; run swift build")
            var changes: [String: String?] = ["COVE_ROOT": root, "COVE_HOST": "unix://" + socket, "DOCKER_HOST": nil]
            for (name, value) in environment { changes[name] = value }
            return try ExternalCommand.run(binary, arguments, environment: changes, timeout: 30)
        }

        /// The pid in the pid file, when that process is a `cove daemon` on this root.
        var daemonPid: Int32? {
            guard let pid = PidFile(path: pidPath).read(),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return nil }
            let words = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains("daemon") && words.contains(root) ? pid : nil
        }

        /// Whether `pid` is alive and not a zombie (an adopted daemon may linger unreaped in a container).
        static func isAlive(_ pid: Int32) -> Bool {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            return !status.contains("State:\tZ")
        }

        /// Waits until nothing is at `path`, up to `seconds`.
        static func waitForRemoval(_ path: String, seconds: Double = 10) -> Bool {
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while FileManager.default.fileExists(atPath: path) {
                if ContinuousClock.now >= deadline { return false }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return true
        }

        /// Stops the daemon (SIGTERM, SIGKILL after 5 s) and waits for it to be gone before removing
        /// the root: a daemon still exiting removes its own files, which would make the removal fail.
        func cleanUp() {
            if let pid = daemonPid, Self.isAlive(pid) {
                try? Signal.terminate.send(to: pid)
                if !Self.waitForExit(pid, seconds: 5) {
                    try? Signal.kill.send(to: pid)
                    _ = Self.waitForExit(pid, seconds: 5)
                }
            }
            for _ in 0..<3 where FileManager.default.fileExists(atPath: root) {
                try? FileManager.default.removeItem(atPath: root)
            }
        }

        /// Waits until `pid` is gone (or a zombie), up to `seconds`.
        static func waitForExit(_ pid: Int32, seconds: Double) -> Bool {
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while isAlive(pid) {
                if ContinuousClock.now >= deadline { return false }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return true
        }
    }

    @Test func versionStartsTheDaemonWhichKeepsRunning() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let result = try scratch.cove(["version"])
        #expect(result.status == 0, "stderr: \(result.stderr)\nlog: \(scratch.log)")
        #expect(result.stdout.hasPrefix("Client:\n Version:           0.1.0\n API version:       1.43\n"))
        #expect(result.stdout.contains("Host:              unix://\(scratch.socket)\n"), "\(result.stdout)")
        #expect(result.stdout.contains("\nServer: Cove Engine\n Engine:\n  Version:          0.1.0\n"))
        #expect(result.stdout.contains("  API version:      1.43 (minimum version 1.24)\n"))
        let pid = try #require(scratch.daemonPid, "no daemon pid in \(scratch.pidPath): \(scratch.log)")
        #expect(result.stderr.contains("started the cove daemon (pid \(pid), log \(scratch.root)/daemon.log)"))
        #expect(Scratch.isAlive(pid), "the daemon outlives the command")
        #expect(scratch.log.contains("listening on \(scratch.socket)"))
        let sessionID = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            .split(separator: ")").last?.split(separator: " ").dropFirst(3).first
        #expect(sessionID == "\(pid)"[...], "the daemon leads its own session")

        let again = try scratch.cove(["version", "--format", "json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix(#"{"Client":{"ApiVersion":"1.43","Arch":""#))
        #expect(again.stdout.contains(#""Server":{"ApiVersion":"1.43""#))
        #expect(!again.stderr.contains("started the cove daemon"), "the running daemon is reused")
        #expect(scratch.daemonPid == pid)

        try Signal.terminate.send(to: pid)
        #expect(Scratch.waitForRemoval(scratch.socket), "the daemon removes its socket on SIGTERM")
    }

    @Test func twoCommandsStartingAtOnceShareOneDaemon() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let results = Mutex<[Int: ExternalCommand.Result]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result =
                (try? scratch.cove(["version", "--format", "json"]))
                ?? ExternalCommand.Result(status: -1, stdout: "", stderr: "could not run cove")
            results.withLock { $0[index] = result }
        }
        for result in results.withLock({ Array($0.values) }) {
            #expect(result.status == 0, "stderr: \(result.stderr)\nlog: \(scratch.log)")
        }
        let pid = try #require(scratch.daemonPid, "\(scratch.log)")
        #expect(Scratch.isAlive(pid))
        try Signal.terminate.send(to: pid)
        #expect(Scratch.waitForRemoval(scratch.socket))
    }

    @Test func aDaemonThatExitsEarlyIsReportedWithItsLog() throws {
        let holder = try DaemonProcess()
        defer { holder.cleanUp() }
        try holder.waitUntilServing()
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        // the holder owns this root, so the started daemon refuses it and exits 1
        let result = try scratch.cove(["version"], environment: ["COVE_ROOT": holder.root])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains("error: the cove daemon started for unix://\(scratch.socket) exited with status 1"))
        #expect(
            result.stderr.contains("another cove daemon (pid \(holder.pid)) is already running on root \(holder.root)"),
            "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.socket))
    }

    @Test func dockerHostIsNeverStarted() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let result = try scratch.cove(
            ["version"], environment: ["COVE_HOST": nil, "DOCKER_HOST": "unix://" + scratch.socket])
        #expect(result.status == 1)
        #expect(
            result.stderr == "error: cannot connect to the engine at unix://\(scratch.socket): "
                + "no socket at \(scratch.socket) (is the daemon running?)\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.pidPath))
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/daemon.log"))
    }

    @Test func anUnsupportedHostIsAUsageErrorBeforeAnythingStarts() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let result = try scratch.cove(["--host", "tcp://127.0.0.1:2375", "version"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("--host: engine host \"tcp://127.0.0.1:2375\": the tcp:// scheme is not supported"))
        #expect(!FileManager.default.fileExists(atPath: scratch.pidPath))
    }
}
