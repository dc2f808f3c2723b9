import Foundation
import Testing

/// Running real clients (the docker CLI, python) and finding them on PATH.
enum ExternalCommand {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Whether CI is set: then missing real clients fail the tests instead of skipping them.
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// The path of `name` on PATH, if any.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let docker = which("docker")
    static let python3 = which("python3")
    /// Whether `python3 -c "import docker"` works.
    static let pythonDockerSDK: Bool = {
        guard let python3 else { return false }
        return (try? run(python3, ["-c", "import docker"]).status) == 0
    }()

    /// Runs a python script (one that uses the docker SDK) with `python3 -c`; a missing python3
    /// is a test failure.
    static func python(_ script: String, timeout: Double = 60) throws -> Result {
        let executable = try #require(Self.python3, "python3 not on PATH")
        return try run(executable, ["-c", script], timeout: timeout)
    }

    /// Runs `executable` with `arguments` and `environment` changes (a `nil` value unsets),
    /// killing it after `timeout` seconds.
    static func run(
        _ executable: String, _ arguments: [String], environment changes: [String: String?] = [:],
        timeout: Double = 60
    ) throws -> Result {
        let scratch = NSTemporaryDirectory() + "cove-command-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/out"
        let errPath = scratch + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes { environment[name] = value }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            let grace = ContinuousClock.now + .seconds(5)
            while process.isRunning && ContinuousClock.now < grace { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw TestFailure("\(executable) \(arguments) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

extension Trait where Self == ConditionTrait {
    /// For a test that drives the daemon with the python docker SDK: skipped without it, except
    /// under CI, where the test runs and fails.
    static var dockerSDK: Self {
        .enabled(
            if: ExternalCommand.pythonDockerSDK || ExternalCommand.isCI,
            "python3 with the docker SDK not found (pip install docker); this test fails instead when CI is set")
    }
}
