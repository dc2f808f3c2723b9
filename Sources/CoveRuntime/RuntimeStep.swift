/// One step of a container's set-up, run in this order by the container init (`CCoveShim`).
///
/// `name` and `arguments` are what the shim reads (`RuntimePlan.serialized()`); `description`
/// is the step as a person reads it in a plan or a test. The shim numbers the steps from 1, in
/// the order of the plan, and names the failing one: `step 7 pivot-root: Operation not permitted`.
public enum RuntimeStep: Sendable, Equatable, CustomStringConvertible {
    /// Enter a new cgroup namespace, after the shim has placed the init in its cgroups.
    case unshareCgroupNamespace
    /// Make every mount private (`rprivate`) so nothing propagates back to the host.
    case mountPropagation(String)
    /// Bind the rootfs onto itself (pivot_root needs a mount point).
    case bindRootfs
    case mount(Mount)
    /// pivot_root into the rootfs and detach the old root.
    case pivotRoot
    case makeDevice(RuntimeDefaults.Device)
    case symlink(target: String, path: String)
    /// A pty in the container's devpts becomes stdio and the controlling terminal.
    case console
    /// `/dev/null` as standard input.
    case stdinNull
    case hostname(String)
    case sysctl(key: String, value: String)
    case readonlyPath(String)
    case maskPath(String)
    case readonlyRoot
    case rlimit(Rlimit)
    /// Drop every capability not in the set from the bounding set.
    case boundingSet(Set<Capability>)
    case user(uid: UInt32, gid: UInt32, groups: [UInt32])
    case workingDirectory(String)
    case capabilities(
        effective: Set<Capability>, permitted: Set<Capability>, inheritable: Set<Capability>,
        ambient: Set<Capability>)
    case noNewPrivileges
    /// Load the plan's seccomp filter.
    case seccomp(rules: Int)

    /// The step's name in the shim's config and its error messages.
    public var name: String {
        switch self {
        case .unshareCgroupNamespace: "cgroupns"
        case .mountPropagation: "propagation"
        case .bindRootfs: "bind-rootfs"
        case .mount: "mount"
        case .pivotRoot: "pivot-root"
        case .makeDevice: "mknod"
        case .symlink: "symlink"
        case .console: "console"
        case .stdinNull: "stdin-null"
        case .hostname: "hostname"
        case .sysctl: "sysctl"
        case .readonlyPath: "readonly"
        case .maskPath: "mask"
        case .readonlyRoot: "readonly-root"
        case .rlimit: "rlimit"
        case .boundingSet: "bounding"
        case .user: "user"
        case .workingDirectory: "chdir"
        case .capabilities: "caps"
        case .noNewPrivileges: "no-new-privs"
        case .seccomp: "seccomp"
        }
    }

    /// The arguments the shim parses (numbers in decimal).
    public var arguments: [String] {
        switch self {
        case .unshareCgroupNamespace, .bindRootfs, .pivotRoot, .console, .stdinNull, .readonlyRoot,
            .noNewPrivileges, .seccomp:
            []
        case .mountPropagation(let mode): [mode]
        case .mount(let m): [m.source, m.target, m.type, String(m.flags.rawValue), m.data, m.create.rawValue]
        case .makeDevice(let d): [d.path, "c", String(d.major), String(d.minor), String(d.mode)]
        case .symlink(let target, let path): [target, path]
        case .hostname(let name): [name]
        case .sysctl(let key, let value): [key, value]
        case .readonlyPath(let path), .maskPath(let path), .workingDirectory(let path): [path]
        case .rlimit(let limit): [String(Rlimit.resources[limit.name] ?? -1), String(limit.soft), String(limit.hard)]
        case .boundingSet(let set): [String(Capability.mask(set))]
        case .user(let uid, let gid, let groups): [String(uid), String(gid)] + groups.map(String.init)
        case .capabilities(let e, let p, let i, let a): [e, p, i, a].map { String(Capability.mask($0)) }
        }
    }

    /// The step for a reader: `mount proc on /proc (proc, nosuid,nodev,noexec)`.
    public var description: String {
        switch self {
        case .mount(let m):
            let type = m.type.isEmpty ? "" : "\(m.type), "
            let data = m.data.isEmpty ? "" : " [\(m.data)]"
            return "mount \(m.source) on \(m.target) (\(type)\(m.flags.names))\(data)"
        case .makeDevice(let d): return "mknod \(d.path) c \(d.major):\(d.minor) \(String(d.mode, radix: 8))"
        case .symlink(let target, let path): return "symlink \(path) -> \(target)"
        case .rlimit(let l): return "rlimit \(l.name) \(Rlimit.text(l.soft)):\(Rlimit.text(l.hard))"
        case .boundingSet(let set): return "bounding \(Capability.text(set))"
        case .user(let uid, let gid, let groups):
            return "user \(uid):\(gid) groups [\(groups.map(String.init).joined(separator: ","))]"
        case .capabilities(let e, let p, let i, let a):
            return "caps effective \(Capability.text(e)) permitted \(Capability.text(p)) "
                + "inheritable \(Capability.text(i)) ambient \(Capability.text(a))"
        case .sysctl(let key, let value): return "sysctl \(key)=\(value)"
        case .seccomp(let rules): return "seccomp \(rules) rules"
        default: return ([name] + arguments).joined(separator: " ")
        }
    }
}

extension Rlimit {
    static func text(_ value: UInt64) -> String { value == unlimited ? "unlimited" : String(value) }
}

extension Capability {
    /// `[CAP_CHOWN,CAP_KILL]`, in number order; `[all]` for every known capability.
    static func text(_ set: Set<Capability>) -> String {
        if set == all { return "[all]" }
        return "[" + set.sorted().map { $0.description }.joined(separator: ",") + "]"
    }
}
