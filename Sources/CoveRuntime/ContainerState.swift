/// A container as its shim last recorded it in `STATE_DIR/state`.
public struct ContainerState: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Set up, waiting for start.
        case created
        case running
        case exited
        /// The set-up failed (`error` names the step).
        case failed
        /// The shim is gone without recording an exit (killed with the container's host).
        case unknown
    }

    public var status: Status
    /// The init's host pid.
    public var pid: Int32
    /// The process's exit code (128 + the signal when a signal ended it, as Docker reports).
    public var exitCode: Int32
    /// The signal that ended the process, or 0.
    public var signal: Int32
    /// RFC 3339 with nanoseconds, empty until known.
    public var startedAt: String
    public var finishedAt: String
    /// The set-up or exec error, empty when none.
    public var error: String
    /// The kernel's OOM killer killed a process in the container's cgroup.
    public var oomKilled: Bool

    /// Parses the shim's `key=value` lines; `nil` for text that is not a state record.
    public init?(recorded text: String, oomKilled: Bool = false) {
        var values: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let status = values["status"].flatMap({ Status(rawValue: String($0)) }),
            let pid = values["pid"].flatMap({ Int32($0) })
        else { return nil }
        self.status = status
        self.pid = pid
        exitCode = values["exit_code"].flatMap { Int32($0) } ?? 0
        signal = values["signal"].flatMap { Int32($0) } ?? 0
        startedAt = values["started_at"].map(String.init) ?? ""
        finishedAt = values["finished_at"].map(String.init) ?? ""
        error = values["error"].map(String.init) ?? ""
        self.oomKilled = oomKilled
    }
}
