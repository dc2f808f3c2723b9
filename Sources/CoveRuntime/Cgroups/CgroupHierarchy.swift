/// Where the cgroup controllers are mounted, read from `/proc/self/mountinfo` text.
public struct CgroupHierarchy: Sendable, Equatable {
    /// The driver chosen at start: v1 controllers, or the unified v2 hierarchy.
    public enum Version: Sendable, Equatable {
        /// Controller name → its hierarchy's mount point (`memory` → `/sys/fs/cgroup/memory`).
        case v1(controllers: [String: String])
        /// The cgroup2 mount point.
        case v2(mountPoint: String)
    }

    public var version: Version

    public init(version: Version) { self.version = version }

    /// The hierarchy Docker would use on a host with these mounts: v1 when any v1 controller is
    /// mounted (hybrid or legacy layouts), else the cgroup2 mount. `nil` when there is neither.
    public static func detect(mountInfo: String) -> CgroupHierarchy? {
        var controllers: [String: String] = [:]
        var unified: String?
        for line in mountInfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), fields.count > dash + 1 else { continue }
            let mountPoint = String(fields[4])
            let type = fields[dash + 1]
            if type == "cgroup2" {
                unified = unified ?? mountPoint
            } else if type == "cgroup", fields.count > dash + 3 {
                for option in fields[dash + 3].split(separator: ",") {
                    let name = String(option)
                    if v1Controllers.contains(name) { controllers[name] = mountPoint }
                }
            }
        }
        if !controllers.isEmpty { return CgroupHierarchy(version: .v1(controllers: controllers)) }
        if let unified { return CgroupHierarchy(version: .v2(mountPoint: unified)) }
        return nil
    }

    /// The v1 controllers the runtime uses.
    static let v1Controllers: Set<String> = [
        "memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices",
    ]
}
