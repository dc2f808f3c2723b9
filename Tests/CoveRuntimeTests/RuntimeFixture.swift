import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// A busybox root file system in a temporary directory and a runtime whose containers go under
/// a cgroup parent of their own; `cleanUp()` kills and removes whatever a test left, by pid and path.
final class RuntimeFixture {
    let directory: URL
    let rootfs: String
    var runtime: Runtime
    let cgroupParent: String
    private var handles: [ContainerHandle] = []
    private var counter = 0

    /// `nil` (with the reason printed) when not root or when the shim or busybox is missing.
    static func make(_ test: String = #function) throws -> RuntimeFixture? {
        guard geteuid() == 0 else {
            print("skipped \(test): needs root (namespaces, mounts, cgroups)")
            return nil
        }
        guard let shim = shimPath() else {
            Issue.record("cove-shim not found beside the tests (\(CommandLine.arguments[0])); run swift build first")
            return nil
        }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            print("skipped \(test): no /bin/busybox (apt-get install busybox-static)")
            return nil
        }
        return try RuntimeFixture(shim: shim)
    }

    static func shimPath() -> String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("cove-shim").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private init(shim: String) throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "cove-runtime-\(UUID().uuidString.prefix(8))")
        rootfs = directory.appendingPathComponent("rootfs").path
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [
            "-c", "bash \"$0\" | tar -x -C \"$1\"",
            RuntimeFixture.repository.appendingPathComponent("scripts/busybox-rootfs").path, rootfs,
        ]
        try script.run()
        script.waitUntilExit()
        guard script.terminationStatus == 0 else { throw CoveError(.io, "scripts/busybox-rootfs failed") }
        cgroupParent = "cove-test-\(directory.lastPathComponent)"
        runtime = Runtime.forHost(shimPath: shim, cgroupParent: cgroupParent)
        runtime.seccompCacheDirectory = directory.appendingPathComponent("seccomp").path
    }

    /// A spec for a busybox container running `arguments`.
    func spec(_ arguments: [String]) -> ContainerSpec {
        counter += 1
        return ContainerSpec(id: "c\(counter)", rootfs: rootfs, arguments: arguments, hostname: "box\(counter)")
    }

    func create(_ spec: ContainerSpec) throws -> ContainerHandle {
        let state = directory.appendingPathComponent("state-\(spec.id)").path
        let handle = try runtime.create(spec, stateDirectory: state)
        handles.append(handle)
        return handle
    }

    /// Creates, starts and waits for the container; returns its state and log entries.
    func run(_ spec: ContainerSpec, timeout: Double = 30) throws -> (ContainerState, [LogEntry]) {
        let handle = try create(spec)
        try runtime.start(handle)
        let state = try runtime.wait(handle, timeoutSeconds: timeout)
        return (state, try LogEntry.read(handle.logPath))
    }

    /// The container's stdout as one string.
    func output(_ spec: ContainerSpec) throws -> (ContainerState, String) {
        let (state, entries) = try run(spec)
        return (state, entries.filter { $0.stream == "stdout" }.map(\.log).joined())
    }

    /// Polls `condition` every 10 ms until it holds or `seconds` pass; whether it held.
    @discardableResult
    static func waitUntil(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            ChildProcess.sleep(microseconds: 10_000)
        }
        return try condition()
    }

    func cleanUp() {
        for handle in handles {
            try? runtime.delete(handle, force: true)
            if let text = try? String(contentsOfFile: handle.stateDirectory + "/shim.pid", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(pid, SIGKILL)
            }
        }
        for controller in ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices", "unified"] {
            rmdir("/sys/fs/cgroup/\(controller)/\(cgroupParent)")
        }
        rmdir("/sys/fs/cgroup/\(cgroupParent)")
        try? FileManager.default.removeItem(at: directory)
    }
}

/// One line of a json-file log.
struct LogEntry: Decodable, Equatable {
    var log: String
    var stream: String
    var time: String

    static func read(_ path: String) throws -> [LogEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(LogEntry.self, from: Data($0.utf8)) }
    }
}
