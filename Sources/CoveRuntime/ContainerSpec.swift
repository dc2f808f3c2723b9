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

/// A namespace the container gets of its own.
public enum Namespace: String, Sendable, CaseIterable, Comparable {
    case pid, mount, uts, ipc, network, cgroup

    public static func < (lhs: Namespace, rhs: Namespace) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Which seccomp filter the container gets.
public enum SeccompSetting: Sendable, Equatable {
    /// Docker's default profile (shipped in `Seccomp/docker-default.json`).
    case dockerDefault
    /// `--security-opt seccomp=unconfined`.
    case unconfined
    /// `--security-opt seccomp=FILE`: the JSON text of a profile in Docker's format.
    case profile(String)
}

/// A resource limit (`setrlimit`), by Docker's `--ulimit` name.
public struct Rlimit: Sendable, Equatable {
    /// `nofile`, `nproc`, `core`, … (see `Rlimit.resources`).
    public var name: String
    public var soft: UInt64
    public var hard: UInt64

    /// `RLIM_INFINITY`.
    public static let unlimited = UInt64.max

    /// Docker's names and the resource numbers of `<sys/resource.h>` on Linux.
    public static let resources: [String: Int] = [
        "cpu": 0, "fsize": 1, "data": 2, "stack": 3, "core": 4, "rss": 5, "nproc": 6, "nofile": 7,
        "memlock": 8, "as": 9, "locks": 10, "sigpending": 11, "msgqueue": 12, "nice": 13, "rtprio": 14,
        "rttime": 15,
    ]

    public init(name: String, soft: UInt64, hard: UInt64) {
        self.name = name
        self.soft = soft
        self.hard = hard
    }
}
