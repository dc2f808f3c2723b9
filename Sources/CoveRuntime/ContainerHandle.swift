/// A created container: where its state lives and which cgroups hold it. A new daemon gets
/// the same handle back with `Runtime.adopt(id:stateDirectory:)`.
public struct ContainerHandle: Sendable, Equatable {
    public var id: String
    public var stateDirectory: String
    public var cgroup: Cgroup?

    /// The json-file log.
    public var logPath: String { "\(stateDirectory)/\(RuntimePlan.logName)" }
    /// The shim's attach socket: output as it comes (raw with a tty, else Docker's multiplexed
    /// frames) to every client, and what a client writes to the pty or stdin.
    public var attachSocketPath: String { "\(stateDirectory)/attach.sock" }
    /// The shim's control FIFO (`start`, `kill N`, `resize ROWS COLS`, `close-stdin`).
    var controlPath: String { "\(stateDirectory)/control" }
}
