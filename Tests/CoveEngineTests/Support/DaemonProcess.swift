import CoveLinux
import Foundation
import Testing

/// A `cove daemon` started by a test, as a user would: the built binary on a temporary root
/// and a socket `/tmp/cove-test-<uuid>.sock`. `cleanUp()` kills only this process (if it still
/// runs) and removes only what this value made.
final class DaemonProcess {
    let root: String
    let socket: String
    let scratch: String
    let process = Process()
    private let logPath: String

    /// The `cove` executable built beside the test bundle.
    static var binary: String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("cove").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Starts `cove daemon --root ROOT --socket SOCKET --debug` and `extra` arguments; ROOT and SOCKET
    /// are new unless given.
    init(root: String? = nil, socket: String? = nil, arguments extra: [String] = []) throws {
        guard let binary = Self.binary else {
            throw TestFailure("cove binary not found beside the tests (\(CommandLine.arguments[0])); run swift build")
        }
        let id = UUID().uuidString.lowercased()
        scratch = NSTemporaryDirectory() + "cove-engine-test-" + id
        self.root = root ?? scratch + "/root"
        self.socket = socket ?? "/tmp/cove-test-\(id).sock"
        logPath = scratch + "/daemon.log"
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["daemon", "--root", self.root, "--socket", self.socket, "--debug"] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["COVE_ROOT"] = nil
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardError = process.standardOutput
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
    }

    var pid: Int32 { process.processIdentifier }
    var pidPath: String { root + "/daemon.pid" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the daemon logs that it listens; fails when it exits first or takes over 20 s.
    func waitUntilServing() throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if log.contains("listening on \(socket)") { return }
            if !process.isRunning {
                throw TestFailure("daemon exited with \(process.terminationStatus) before serving:\n\(log)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestFailure("daemon did not serve within 20 s:\n\(log)")
    }

    /// Waits for the process to exit; its status, or `nil` after `seconds`.
    func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The resident set size of the daemon in KiB (from `/proc/<pid>/status`).
    var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    /// Kills this daemon if it still runs (SIGTERM, then SIGKILL after 5 s) and removes its scratch
    /// directory and socket. Safe to call more than once.
    func cleanUp() {
        if process.isRunning {
            process.terminate()
            if waitForExit(seconds: 5) == nil {
                try? Signal.kill.send(to: pid)
                _ = waitForExit(seconds: 5)
            }
        }
        if socket.hasPrefix("/tmp/cove-test-") { try? FileManager.default.removeItem(atPath: socket) }
        try? FileManager.default.removeItem(atPath: scratch)
    }
}

/// A failure of the test's own machinery, with what it saw.
struct TestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
