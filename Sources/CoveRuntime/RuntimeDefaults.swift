/// Docker's container defaults, in one place (see shared/runtime-defaults.md for the sources):
/// mounts, device nodes, masked and read-only paths, environment.
public enum RuntimeDefaults {
    /// The `PATH` a container gets when its environment has none.
    public static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Made unreadable (a file gets `/dev/null` bound over it, a directory an empty read-only
    /// tmpfs); paths that do not exist are skipped. Docker's current list; the per-CPU
    /// `thermal_throttle` entries come from `thermalThrottlePaths(cpuCount:)`.
    public static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
        "/sys/devices/virtual/powercap", "/sys/firmware",
    ]

    /// `/sys/devices/system/cpu/cpuN/thermal_throttle` for CPUs 0..<cpuCount (masked where present).
    public static func thermalThrottlePaths(cpuCount: Int) -> [String] {
        (0..<max(cpuCount, 0)).map { "/sys/devices/system/cpu/cpu\($0)/thermal_throttle" }
    }

    /// Bound onto themselves read-only.
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// A character device node made in the container's `/dev`.
    public struct Device: Sendable, Equatable {
        public var path: String
        public var major: Int
        public var minor: Int
        public var mode: Int
    }

    /// null, zero, full, random, urandom, tty (mode 0666), as Docker creates them.
    public static let devices = [
        Device(path: "/dev/null", major: 1, minor: 3, mode: 0o666),
        Device(path: "/dev/zero", major: 1, minor: 5, mode: 0o666),
        Device(path: "/dev/full", major: 1, minor: 7, mode: 0o666),
        Device(path: "/dev/random", major: 1, minor: 8, mode: 0o666),
        Device(path: "/dev/urandom", major: 1, minor: 9, mode: 0o666),
        Device(path: "/dev/tty", major: 5, minor: 0, mode: 0o666),
    ]

    /// Links in `/dev` (target, link).
    public static let deviceLinks = [
        ("/proc/self/fd", "/dev/fd"), ("/proc/self/fd/0", "/dev/stdin"), ("/proc/self/fd/1", "/dev/stdout"),
        ("/proc/self/fd/2", "/dev/stderr"), ("pts/ptmx", "/dev/ptmx"), ("/proc/kcore", "/dev/core"),
    ]

    /// /proc, /dev (tmpfs), /dev/pts, /dev/shm, /dev/mqueue, /sys (read-only unless privileged).
    ///
    /// Without its own network namespace a container may not mount sysfs, nor mqueue without
    /// its own IPC namespace: the host's are bound instead (read-only for /sys), as runc does.
    public static func baseMounts(
        privileged: Bool, shmSize: Int64, namespaces: Set<Namespace> = Set(Namespace.allCases)
    )
        -> [Mount]
    {
        let hidden: MountFlags = [.noSuid, .noExec, .noDev]
        var sys: MountFlags = hidden
        if !privileged { sys.insert(.readOnly) }
        let sysfs =
            namespaces.contains(.network)
            ? Mount(source: "sysfs", target: "/sys", type: "sysfs", flags: sys)
            : Mount(source: "/sys", target: "/sys", type: "", flags: sys.union([.bind, .recursive]))
        let mqueue =
            namespaces.contains(.ipc)
            ? Mount(source: "mqueue", target: "/dev/mqueue", type: "mqueue", flags: hidden)
            : Mount(source: "/dev/mqueue", target: "/dev/mqueue", type: "", flags: hidden.union([.bind, .recursive]))
        return [
            Mount(source: "proc", target: "/proc", type: "proc", flags: hidden),
            Mount(
                source: "tmpfs", target: "/dev", type: "tmpfs", flags: [.noSuid, .strictAtime],
                data: "mode=755,size=65536k"),
            Mount(
                source: "devpts", target: "/dev/pts", type: "devpts", flags: [.noSuid, .noExec],
                data: "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            Mount(source: "shm", target: "/dev/shm", type: "tmpfs", flags: hidden, data: "mode=1777,size=\(shmSize)"),
            mqueue,
            sysfs,
        ]
    }

    /// `/etc/hosts` as Docker writes it for a container without networks.
    public static func hostsFile(hostname: String) -> String {
        """
        127.0.0.1\tlocalhost
        ::1\tlocalhost ip6-localhost ip6-loopback
        fe00::0\tip6-localnet
        ff00::0\tip6-mcastprefix
        ff02::1\tip6-allnodes
        ff02::2\tip6-allrouters
        127.0.0.1\t\(hostname)

        """
    }

    /// The environment with Docker's defaults filled in: `PATH`, `HOSTNAME`, `HOME` (from the
    /// user's passwd entry, else `/root`), and `TERM=xterm` with a tty.
    public static func environment(_ given: [String], hostname: String, home: String?, tty: Bool) -> [String] {
        var result = given
        let keys = Set(given.map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0 })
        if !keys.contains("PATH") { result.insert("PATH=\(path)", at: 0) }
        if !keys.contains("HOSTNAME") { result.append("HOSTNAME=\(hostname)") }
        if tty && !keys.contains("TERM") { result.append("TERM=xterm") }
        if !keys.contains("HOME") { result.append("HOME=\(home ?? "/root")") }
        return result
    }
}
