/// An extra process to run in a running container (`docker exec`). What is not given is the
/// container's: its user, working directory, environment (to which `environment` is added),
/// capabilities, seccomp filter, no_new_privs, rlimits, namespaces and cgroups.
public struct ExecSpec: Sendable, Equatable {
    /// The program and its arguments; the first is looked up in the container's `PATH`.
    public var arguments: [String]
    /// `-e KEY=value`: replaces the container's value of the same key, or is added.
    public var environment: [String] = []
    /// `-u`: resolved in the container's `/etc/passwd` and `/etc/group`; `nil` is the container's user.
    public var user: String? = nil
    /// The container's `--group-add`, which Docker also gives a `-u` user (the daemon passes it).
    public var additionalGroups: [String] = []
    /// `-w`: absolute, inside the container; `nil` is the container's working directory.
    public var workingDirectory: String? = nil
    /// `-t`: a pty of its own, from the container's devpts.
    public var tty: Bool = false
    /// `-i`: standard input from the exec's attach socket instead of `/dev/null`.
    public var openStdin: Bool = false
    /// `--privileged`: every capability this host grants (the seccomp filter stays, as in Docker).
    public var privileged: Bool = false
    /// The exec's own json-file log (`exec-json.log`, what a health check reads): its size cap.
    public var logMaxSize: Int64 = 1 << 20

    public init(arguments: [String]) {
        self.arguments = arguments
    }
}
