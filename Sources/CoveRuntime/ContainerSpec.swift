/// Everything the runtime needs to build one container, with Docker's defaults.
///
/// The planner (`RuntimePlanner`) turns it into an ordered list of `RuntimeStep`s; nothing here
/// touches the OS. Paths are host paths except `Mount.target`, `workingDirectory`,
/// `maskedPaths` and `readonlyPaths`, which are inside the container.
public struct ContainerSpec: Sendable, Equatable {
    /// The container's id (names its cgroup); letters, digits, `_`, `.`, `-`.
    public var id: String
    /// A ready root filesystem directory (the overlay mount of the image), absolute.
    public var rootfs: String
    /// The program and its arguments; the first is looked up in the container's `PATH`.
    public var arguments: [String]
    /// `KEY=value` entries; `PATH` and `HOME` get Docker's defaults when absent.
    public var environment: [String] = []
    /// Absolute, inside the container.
    public var workingDirectory: String = "/"
    /// Docker's `--user`: `name`, `uid`, `name:group`, `uid:gid`; empty is root.
    public var user: String = ""
    /// `--group-add`: names or numbers.
    public var additionalGroups: [String] = []
    public var hostname: String
    /// `-t`: a pty in the container; its output goes to the log as `stdout`.
    public var tty: Bool = false
    /// `-i`: keep standard input open (a pipe from the shim) instead of `/dev/null`.
    public var openStdin: Bool = false
    /// `--init`: a minimal reaper as pid 1 that forwards signals to the process.
    public var initProcess: Bool = false
    /// Mounts added to (or replacing, at the same target) Docker's default ones.
    public var mounts: [Mount] = []
    public var namespaces: Set<Namespace> = Set(Namespace.allCases)
    public var capAdd: [String] = []
    public var capDrop: [String] = []
    /// `--privileged`: every capability, no seccomp, no masked or read-only paths, `/sys` writable.
    public var privileged: Bool = false
    /// `--read-only`: the root file system is mounted read-only.
    public var readOnlyRootfs: Bool = false
    /// `--security-opt no-new-privileges` (off by default, as in Docker).
    public var noNewPrivileges: Bool = false
    public var seccomp: SeccompSetting = .dockerDefault
    /// `--sysctl`: namespaced keys only (`net.*`, `kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`).
    public var sysctls: [String: String] = [:]
    /// `--ulimit`.
    public var rlimits: [Rlimit] = []
    public var resources: CgroupLimits = CgroupLimits()
    /// `--shm-size` in bytes (Docker's default 64 MiB).
    public var shmSize: Int64 = 64 << 20
    /// The content of `/etc/hosts`; `nil` is Docker's default for this hostname.
    public var hostsFile: String? = nil
    /// The content of `/etc/resolv.conf`; `nil` copies the host's.
    public var resolvConf: String? = nil
    /// json-file rotation: `max-size` in bytes (0: no rotation) and `max-file`.
    public var logMaxSize: Int64 = 0
    public var logMaxFiles: Int = 1

    public init(id: String, rootfs: String, arguments: [String], hostname: String? = nil) {
        self.id = id
        self.rootfs = rootfs
        self.arguments = arguments
        self.hostname = hostname ?? String(id.prefix(12))
    }
}
