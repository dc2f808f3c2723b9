/// A process started in a container by `Runtime.exec`: its own state directory with the exec's
/// config, `state` record (as a container's), log, attach socket and control FIFO.
public struct ExecHandle: Sendable, Equatable {
    /// The container the process runs in.
    public var containerID: String
    public var stateDirectory: String

    public init(containerID: String, stateDirectory: String) {
        self.containerID = containerID
        self.stateDirectory = stateDirectory
    }

    /// The exec's json-file log (both streams, as a container's).
    public var logPath: String { "\(stateDirectory)/\(ExecPlan.logName)" }
    /// Output as it comes (raw with a tty, else Docker's multiplexed frames); input to the
    /// process's pty or stdin.
    public var attachSocketPath: String { "\(stateDirectory)/attach.sock" }
    /// `start`, `kill N`, `resize ROWS COLS`, `close-stdin`.
    var controlPath: String { "\(stateDirectory)/control" }
}
