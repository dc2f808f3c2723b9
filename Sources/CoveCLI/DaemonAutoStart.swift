import CoveAPI
import CoveCore
import CoveEngine
import CoveLinux
import Foundation

/// Starting `cove daemon` for the CLI: the running executable, detached in its own session, logging
/// to `<root>/daemon.log`, then waiting until it answers `/_ping`.
struct DaemonAutoStart {
    /// The client for the socket the daemon is to serve.
    var client: EngineClient
    /// The environment the daemon inherits; its `COVE_ROOT` chooses the root.
    var environment: [String: String]
    /// How long the daemon may take to answer.
    var timeout: Duration = .seconds(10)

    /// Starts the daemon and returns once it answers.
    ///
    /// A daemon that exits first is not an error when another one on the same root answers within
    /// a second (two CLIs starting one at the same moment); otherwise the error ends with the
    /// daemon's log.
    func start() async throws(CoveError) {
        let configuration = try DaemonConfiguration.resolve(
            root: nil, socket: client.host.socketPath, debug: false, version: CoveCommand.version,
            environment: environment, workingDirectory: FileManager.default.currentDirectoryPath)
        try Directory.create(configuration.root, mode: 0o700)
        let logPath = configuration.root + "/daemon.log"
        let logStart = Self.fileSize(logPath)
        let pid = try DetachedProcess.spawn(
            executable: try DetachedProcess.currentExecutable(),
            arguments: ["daemon", "--root", configuration.root, "--socket", configuration.socketPath],
            environment: environment, logFile: logPath)
        let deadline = ContinuousClock.now + timeout
        var delay = Duration.milliseconds(10)
        while true {
            if await answers() {
                Output.error("started the cove daemon (pid \(pid), log \(logPath))")
                return
            }
            let status = try DetachedProcess.status(of: pid)
            if status != .running {
                if await answers() { return }
                if Self.anotherDaemonRuns(pidPath: configuration.pidPath, except: pid) {
                    // another CLI started a daemon on this root at the same moment: give it a second
                    if await answersWithin(.seconds(1)) { return }
                }
                throw CoveError(
                    .io,
                    "the cove daemon started for \(client.host) \(Self.describe(status)) before serving; "
                        + "\(logPath) ends with:\n\(Self.tail(of: logPath, from: logStart))")
            }
            guard ContinuousClock.now < deadline else {
                throw CoveError(
                    .io,
                    "the cove daemon (pid \(pid)) started for \(client.host) did not answer within \(timeout); "
                        + "\(logPath) ends with:\n\(Self.tail(of: logPath, from: logStart))")
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(250))
        }
    }

    private func answers() async -> Bool {
        (try? await client.ping(timeout: .seconds(1))) == true
    }

    private func answersWithin(_ limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await answers() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether the root's pid file names a live process other than `pid`.
    static func anotherDaemonRuns(pidPath: String, except pid: Int32) -> Bool {
        guard let other = PidFile(path: pidPath).read(), other != pid else { return false }
        return FileManager.default.fileExists(atPath: "/proc/\(other)")
    }

    static func describe(_ status: DetachedProcess.Status) -> String {
        switch status {
        case .running: "is running"
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "was killed by signal \(signal)"
        }
    }

    static func fileSize(_ path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The last `lines` lines written to `path` after byte `offset` (at most 16 KiB of them).
    static func tail(of path: String, from offset: UInt64, lines: Int = 20) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "(\(path) cannot be read)" }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? offset
        let start = max(offset, end > 16_384 ? end - 16_384 : 0)
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else {
            return "(nothing)"
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
