/// A container's cgroups as data: one directory per v1 controller (or one v2 directory) and
/// the files to write there, in order. `Cgroup.create` applies it; tests read it as text.
public struct CgroupPlan: Sendable, Equatable, CustomStringConvertible {
    /// One value for one control file; an optional one is skipped where the kernel lacks the file.
    public struct Write: Sendable, Equatable {
        public var file: String
        public var value: String
        public var optional: Bool
    }

    /// A cgroup directory: `controller` is the v1 controller, or `unified` for v2.
    public struct Directory: Sendable, Equatable {
        public var controller: String
        public var path: String
        public var writes: [Write]
    }

    public var isV2: Bool
    public var directories: [Directory]
    /// v2 only: the devices the container may use (`c 1:3 rwm`), enforced by an eBPF program
    /// the shim attaches to its cgroup; `nil` when privileged (v1 writes devices.allow instead).
    public var devices: [String]? = nil

    /// The plan for the cgroup `parent/id` in `hierarchy`.
    public init(hierarchy: CgroupHierarchy, parent: String, id: String, limits: CgroupLimits, privileged: Bool) {
        let relative = parent.isEmpty ? id : "\(parent)/\(id)"
        switch hierarchy.version {
        case .v1(let controllers):
            isV2 = false
            directories = controllers.keys.sorted().compactMap { controller in
                guard let mountPoint = controllers[controller] else { return nil }
                return Directory(
                    controller: controller, path: "\(mountPoint)/\(relative)",
                    writes: CgroupPlan.v1Writes(controller, limits, privileged: privileged))
            }
        case .v2(let mountPoint):
            isV2 = true
            devices = privileged ? nil : CgroupPlan.allowedDevices
            directories = [
                Directory(controller: "unified", path: "\(mountPoint)/\(relative)", writes: CgroupPlan.v2Writes(limits))
            ]
        }
    }

    /// Docker's total of memory and swap when only `--memory` is given: twice the memory.
    static func swapTotal(_ limits: CgroupLimits) -> Int64? {
        if let swap = limits.memorySwap { return swap }
        return limits.memory.map { $0 * 2 }
    }

    static func v1Writes(_ controller: String, _ limits: CgroupLimits, privileged: Bool) -> [Write] {
        func write(_ file: String, _ value: String?, optional: Bool = false) -> Write? {
            value.map { Write(file: file, value: $0, optional: optional) }
        }
        let writes: [Write?]
        switch controller {
        case "memory":
            writes = [
                write("memory.limit_in_bytes", limits.memory.map(String.init)),
                write("memory.memsw.limit_in_bytes", swapTotal(limits).map(String.init), optional: true),
            ]
        case "cpu":
            writes = [
                write("cpu.cfs_period_us", limits.cpuPeriod.map(String.init)),
                write("cpu.cfs_quota_us", limits.cpuQuota.map(String.init)),
                write("cpu.shares", limits.cpuShares.map(String.init)),
            ]
        case "cpuset":
            writes = [write("cpuset.cpus", limits.cpusetCpus), write("cpuset.mems", limits.cpusetMems)]
        case "pids":
            writes = [write("pids.max", limits.pidsLimit.map { $0 > 0 ? String($0) : "max" })]
        case "blkio":
            writes = [write("blkio.weight", limits.blkioWeight.map(String.init), optional: true)]
        case "devices" where !privileged:
            writes = [write("devices.deny", "a")] + allowedDevices.map { write("devices.allow", $0) }
        default:
            writes = []
        }
        return writes.compactMap { $0 }
    }

    /// The devices a container may use (Docker's base list plus runc's additions).
    static let allowedDevices = [
        "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm",
        "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm",
    ]

    static func v2Writes(_ limits: CgroupLimits) -> [Write] {
        var writes: [Write] = []
        if let memory = limits.memory {
            writes.append(Write(file: "memory.max", value: String(memory), optional: false))
        }
        if let total = swapTotal(limits) {
            let swap = total < 0 ? "max" : String(max(total - (limits.memory ?? 0), 0))
            writes.append(Write(file: "memory.swap.max", value: swap, optional: true))
        }
        if limits.cpuQuota != nil || limits.cpuPeriod != nil {
            let quota = limits.cpuQuota.map { $0 > 0 ? String($0) : "max" } ?? "max"
            writes.append(Write(file: "cpu.max", value: "\(quota) \(limits.cpuPeriod ?? 100_000)", optional: false))
        }
        if let shares = limits.cpuShares {
            // runc's conversion of cpu.shares (2–262144) to cpu.weight (1–10000).
            let weight = 1 + ((max(shares, 2) - 2) * 9999) / 262142
            writes.append(Write(file: "cpu.weight", value: String(weight), optional: false))
        }
        if let cpus = limits.cpusetCpus { writes.append(Write(file: "cpuset.cpus", value: cpus, optional: false)) }
        if let mems = limits.cpusetMems { writes.append(Write(file: "cpuset.mems", value: mems, optional: false)) }
        if let pids = limits.pidsLimit {
            writes.append(Write(file: "pids.max", value: pids > 0 ? String(pids) : "max", optional: false))
        }
        if let weight = limits.blkioWeight {
            // runc's conversion of blkio.weight (10–1000) to io.weight (1–10000).
            writes.append(Write(file: "io.weight", value: String(1 + (weight - 10) * 9999 / 990), optional: true))
        }
        return writes
    }

    /// One line per directory: `memory /sys/fs/cgroup/memory/cove/x: memory.limit_in_bytes=…`,
    /// and the v2 device rules.
    public var description: String {
        var lines = directories.map { directory in
            let writes = directory.writes.map { "\($0.file)=\($0.value)" }.joined(separator: " ")
            return "\(directory.controller) \(directory.path)" + (writes.isEmpty ? "" : ": \(writes)")
        }
        if let devices { lines.append("devices (eBPF): " + devices.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
