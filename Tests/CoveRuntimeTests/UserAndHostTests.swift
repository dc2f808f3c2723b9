import Testing

@testable import CoveRuntime

@Suite("Users, capabilities and cgroup discovery")
struct UserAndHostTests {
    static let passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:App:/home/app:/bin/sh\n"
    static let group = "root:x:0:\nwheel:x:10:app,other\napp:x:1001:\nstaff:x:50:\n"

    @Test("Docker's --user forms resolve against the image's passwd and group files")
    func users() throws {
        func resolve(_ user: String, _ groups: [String] = []) throws -> ResolvedUser {
            try UserResolver.resolve(user: user, additionalGroups: groups, passwd: Self.passwd, group: Self.group)
        }
        #expect(try resolve("") == ResolvedUser(uid: 0, gid: 0, home: "/root"))
        #expect(try resolve("app") == ResolvedUser(uid: 1000, gid: 1001, groups: [10], home: "/home/app"))
        #expect(try resolve("1000") == ResolvedUser(uid: 1000, gid: 1001, groups: [10], home: "/home/app"))
        #expect(try resolve("4242") == ResolvedUser(uid: 4242, gid: 0))
        #expect(try resolve("app:staff") == ResolvedUser(uid: 1000, gid: 50, groups: [10], home: "/home/app"))
        #expect(try resolve("4242:4343", ["staff", "7"]) == ResolvedUser(uid: 4242, gid: 4343, groups: [50, 7]))
        #expect(throws: (any Error).self) { try resolve("nobody") }
        #expect(throws: (any Error).self) { try resolve("app:nogroup") }
    }

    @Test("capability names with or without CAP_, any case, and ALL")
    func capabilityNames() throws {
        #expect(Capability(name: "net_admin")?.description == "CAP_NET_ADMIN")
        #expect(Capability(name: "CAP_SYS_ADMIN")?.number == 21)
        #expect(Capability(name: "NOPE") == nil)
        #expect(Capability.mask(Capability.dockerDefault) == 0xa80425fb)
        let none = try Capability.resolve(base: Capability.dockerDefault, add: [], drop: ["all"])
        #expect(none.isEmpty)
        let all = try Capability.resolve(base: [], add: ["ALL"], drop: [])
        #expect(all == Capability.all)
    }

    @Test("cgroup discovery: v1 controllers win on a hybrid host; a unified host uses cgroup2")
    func hierarchy() {
        let hybrid = """
            30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
            31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw
            33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct
            34 30 0:30 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory
            35 30 0:31 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,xattr,name=systemd
            """
        #expect(
            CgroupHierarchy.detect(mountInfo: hybrid)
                == CgroupHierarchy(
                    version: .v1(controllers: [
                        "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
                        "memory": "/sys/fs/cgroup/memory",
                    ])))
        let unified = "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
        #expect(
            CgroupHierarchy.detect(mountInfo: unified) == CgroupHierarchy(version: .v2(mountPoint: "/sys/fs/cgroup")))
        #expect(CgroupHierarchy.detect(mountInfo: "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n") == nil)
    }

    @Test("the shim's state record parses; garbage does not")
    func stateRecord() {
        let text =
            "status=exited\npid=42\nexit_code=137\nsignal=9\nstarted_at=2026-11-23T10:00:00.5Z\nfinished_at=x\nerror=\n"
        let state = ContainerState(recorded: text)
        #expect(state?.status == .exited)
        #expect(state?.exitCode == 137)
        #expect(state?.signal == 9)
        #expect(state?.startedAt == "2026-11-23T10:00:00.5Z")
        #expect(ContainerState(recorded: "status=dancing\npid=1\n") == nil)
        #expect(ContainerState(recorded: "") == nil)
    }
}
