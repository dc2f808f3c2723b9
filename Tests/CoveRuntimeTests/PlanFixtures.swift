@testable import CoveRuntime

/// Fixed host facts, so plans print the same on every machine.
enum PlanFixtures {
    static let v1 = CgroupHierarchy(
        version: .v1(controllers: [
            "memory": "/sys/fs/cgroup/memory", "cpu": "/sys/fs/cgroup/cpu,cpuacct",
            "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
            "pids": "/sys/fs/cgroup/pids", "freezer": "/sys/fs/cgroup/freezer",
        ]))
    static let v2 = CgroupHierarchy(version: .v2(mountPoint: "/sys/fs/cgroup"))

    static func planner(_ hierarchy: CgroupHierarchy = v2) -> RuntimePlanner {
        RuntimePlanner(hierarchy: hierarchy, architecture: "x86_64", kernel: "6.1.0-13-amd64", cpuCount: 1)
    }

    static func spec(_ configure: (inout ContainerSpec) -> Void = { _ in }) -> ContainerSpec {
        var spec = ContainerSpec(
            id: "web1", rootfs: "/var/lib/cove/rootfs/web1", arguments: ["nginx", "-g", "daemon off;"])
        configure(&spec)
        return spec
    }

    static func text(
        _ configure: (inout ContainerSpec) -> Void = { _ in }, hierarchy: CgroupHierarchy = v2,
        user: ResolvedUser = ResolvedUser(uid: 0, gid: 0, home: "/root")
    ) throws -> String {
        try planner(hierarchy).plan(spec(configure), user: user, stateDirectory: "/state").description
    }
}
