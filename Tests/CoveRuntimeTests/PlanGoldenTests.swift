import CoveCore
import Testing

@testable import CoveRuntime

/// The runtime's decisions as text, without root: the whole plan of a default container, and
/// for each variant the lines that differ from it (step numbers left out, so an added step
/// does not show as a change to every later one).
@Suite("Runtime plans")
struct PlanGoldenTests {
    /// The lines of `configure`'s plan that the default plan lacks (+) and has (-).
    static func changes(
        _ configure: (inout ContainerSpec) -> Void, user: ResolvedUser = ResolvedUser(uid: 0, gid: 0, home: "/root")
    ) throws -> [String] {
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n").map { line in
                line.hasPrefix("step ") ? String(line.split(separator: " ", maxSplits: 2)[2]) : String(line)
            }
        }
        let base = lines(try PlanFixtures.text())
        let variant = lines(try PlanFixtures.text(configure, user: user))
        return base.filter { !variant.contains($0) }.map { "- " + $0 }
            + variant.filter { !base.contains($0) }.map { "+ " + $0 }
    }

    @Test("default container (cgroup v2)")
    func defaultPlan() throws {
        let expected: [String] = [
            "namespaces pid mount uts ipc network cgroup",
            "cgroup unified /sys/fs/cgroup/cove/web1",
            "cgroup devices (eBPF): c *:* m, b *:* m, c 1:3 rwm, c 1:5 rwm, c 1:7 rwm, c 1:8 rwm, c 1:9 rwm, c 5:0 rwm, c 5:1 rwm, c 5:2 rwm, c 136:* rwm, c 10:200 rwm",
            "process [\"nginx\", \"-g\", \"daemon off;\"]",
            "env [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOSTNAME=web1\", \"HOME=/root\"]",
            "seccomp default errno(1) arches x86_64,x86,x32",
            "sync 1 cloned: the child waits to be placed",
            "sync 2 placed: the shim wrote the child's pid into each cgroup.procs",
            "step 1 cgroupns",
            "step 2 propagation rprivate",
            "step 3 bind-rootfs",
            "step 4 mount proc on /proc (proc, nosuid,nodev,noexec)",
            "step 5 mount tmpfs on /dev (tmpfs, nosuid,strictatime) [mode=755,size=65536k]",
            "step 6 mount devpts on /dev/pts (devpts, nosuid,noexec) [newinstance,ptmxmode=0666,mode=0620,gid=5]",
            "step 7 mount shm on /dev/shm (tmpfs, nosuid,nodev,noexec) [mode=1777,size=67108864]",
            "step 8 mount mqueue on /dev/mqueue (mqueue, nosuid,nodev,noexec)",
            "step 9 mount sysfs on /sys (sysfs, ro,nosuid,nodev,noexec)",
            "step 10 mount cgroup on /sys/fs/cgroup (cgroup2, ro,nosuid,nodev,noexec,relatime)",
            "step 11 mount /state/resolv.conf on /etc/resolv.conf (bind,rec)",
            "step 12 mount /state/hostname on /etc/hostname (bind,rec)",
            "step 13 mount /state/hosts on /etc/hosts (bind,rec)",
            "step 14 pivot-root",
            "step 15 mknod /dev/null c 1:3 666",
            "step 16 mknod /dev/zero c 1:5 666",
            "step 17 mknod /dev/full c 1:7 666",
            "step 18 mknod /dev/random c 1:8 666",
            "step 19 mknod /dev/urandom c 1:9 666",
            "step 20 mknod /dev/tty c 5:0 666",
            "step 21 symlink /dev/fd -> /proc/self/fd",
            "step 22 symlink /dev/stdin -> /proc/self/fd/0",
            "step 23 symlink /dev/stdout -> /proc/self/fd/1",
            "step 24 symlink /dev/stderr -> /proc/self/fd/2",
            "step 25 symlink /dev/ptmx -> pts/ptmx",
            "step 26 symlink /dev/core -> /proc/kcore",
            "step 27 stdin-null",
            "step 28 hostname web1",
            "step 29 readonly /proc/bus",
            "step 30 readonly /proc/fs",
            "step 31 readonly /proc/irq",
            "step 32 readonly /proc/sys",
            "step 33 readonly /proc/sysrq-trigger",
            "step 34 mask /proc/acpi",
            "step 35 mask /proc/asound",
            "step 36 mask /proc/interrupts",
            "step 37 mask /proc/kcore",
            "step 38 mask /proc/keys",
            "step 39 mask /proc/latency_stats",
            "step 40 mask /proc/sched_debug",
            "step 41 mask /proc/scsi",
            "step 42 mask /proc/timer_list",
            "step 43 mask /proc/timer_stats",
            "step 44 mask /sys/devices/virtual/powercap",
            "step 45 mask /sys/firmware",
            "step 46 mask /sys/devices/system/cpu/cpu0/thermal_throttle",
            "step 47 bounding [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP]",
            "step 48 seccomp 377 rules",
            "step 49 user 0:0 groups []",
            "step 50 chdir /",
            "step 51 caps effective [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP] permitted [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP] inheritable [] ambient []",
            "sync 3 ready: every step done, the child waits for start",
            "sync 4 exec: start; the child closes every descriptor above 2 and execs",
            "step 52 exec nginx",
        ]
        #expect(try PlanFixtures.text().split(separator: "\n").map(String.init) == expected)
    }

    @Test("--privileged: every capability, no seccomp, no masked or read-only paths, /sys writable")
    func privileged() throws {
        #expect(
            try Self.changes { $0.privileged = true } == [
                "- cgroup devices (eBPF): c *:* m, b *:* m, c 1:3 rwm, c 1:5 rwm, c 1:7 rwm, c 1:8 rwm, c 1:9 rwm, c 5:0 rwm, c 5:1 rwm, c 5:2 rwm, c 136:* rwm, c 10:200 rwm",
                "- seccomp default errno(1) arches x86_64,x86,x32",
                "- mount sysfs on /sys (sysfs, ro,nosuid,nodev,noexec)",
                "- mount cgroup on /sys/fs/cgroup (cgroup2, ro,nosuid,nodev,noexec,relatime)",
                "- readonly /proc/bus",
                "- readonly /proc/fs",
                "- readonly /proc/irq",
                "- readonly /proc/sys",
                "- readonly /proc/sysrq-trigger",
                "- mask /proc/acpi",
                "- mask /proc/asound",
                "- mask /proc/interrupts",
                "- mask /proc/kcore",
                "- mask /proc/keys",
                "- mask /proc/latency_stats",
                "- mask /proc/sched_debug",
                "- mask /proc/scsi",
                "- mask /proc/timer_list",
                "- mask /proc/timer_stats",
                "- mask /sys/devices/virtual/powercap",
                "- mask /sys/firmware",
                "- mask /sys/devices/system/cpu/cpu0/thermal_throttle",
                "- bounding [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP]",
                "- seccomp 377 rules",
                "- caps effective [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP] permitted [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP] inheritable [] ambient []",
                "+ mount sysfs on /sys (sysfs, nosuid,nodev,noexec)",
                "+ mount cgroup on /sys/fs/cgroup (cgroup2, nosuid,nodev,noexec,relatime)",
                "+ bounding [all]",
                "+ caps effective [all] permitted [all] inheritable [] ambient []",
            ])
    }

    @Test("--read-only, no-new-privileges, -t, --init")
    func readOnlyTtyInit() throws {
        let changes = try Self.changes {
            $0.readOnlyRootfs = true
            $0.noNewPrivileges = true
            $0.tty = true
            $0.initProcess = true
        }
        #expect(
            changes == [
                "- process [\"nginx\", \"-g\", \"daemon off;\"]",
                "- env [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOSTNAME=web1\", \"HOME=/root\"]",
                "- stdin-null",
                "+ process [\"nginx\", \"-g\", \"daemon off;\"] tty init",
                "+ env [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOSTNAME=web1\", \"TERM=xterm\", \"HOME=/root\"]",
                "+ console",
                "+ readonly-root",
                "+ no-new-privs",
            ])
        // With no_new_privs the filter is loaded last, after the capabilities are set.
        let text = try PlanFixtures.text { $0.noNewPrivileges = true }
        let steps = text.split(separator: "\n").filter { $0.hasPrefix("step ") }
        #expect(
            steps.suffix(4).map { String($0.split(separator: " ")[2]) } == ["caps", "no-new-privs", "seccomp", "exec"])
    }

    @Test("--cap-drop ALL --cap-add net_admin,CAP_SYS_PTRACE (seccomp follows the capabilities)")
    func capabilities() throws {
        let changes = try Self.changes {
            $0.capAdd = ["net_admin", "CAP_SYS_PTRACE"]
            $0.capDrop = ["ALL"]
        }
        #expect(
            changes == [
                "- bounding [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP]",
                "- seccomp 377 rules",
                "- caps effective [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP] permitted [CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP] inheritable [] ambient []",
                "+ bounding [CAP_NET_ADMIN,CAP_SYS_PTRACE]",
                "+ seccomp 382 rules",
                "+ caps effective [CAP_NET_ADMIN,CAP_SYS_PTRACE] permitted [CAP_NET_ADMIN,CAP_SYS_PTRACE] inheritable [] ambient []",
            ])
    }

    @Test("--security-opt seccomp=unconfined")
    func unconfined() throws {
        #expect(
            try Self.changes { $0.seccomp = .unconfined } == [
                "- seccomp default errno(1) arches x86_64,x86,x32",
                "- seccomp 377 rules",
            ])
    }

    @Test("user, working directory, sysctl, ulimit, a read-only bind and a replaced /etc/hosts")
    func userAndMounts() throws {
        let changes = try Self.changes(
            {
                $0.workingDirectory = "/srv"
                $0.sysctls = ["net.ipv4.ip_forward": "1"]
                $0.rlimits = [Rlimit(name: "nofile", soft: 1024, hard: 4096)]
                $0.mounts = [
                    Mount.bind("/data", at: "/srv/data", readOnly: true),
                    Mount.bind("/host/hosts", at: "/etc/hosts", file: true),
                ]
            }, user: ResolvedUser(uid: 1000, gid: 1000, groups: [27, 100], home: "/home/app"))
        #expect(
            changes == [
                "- env [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOSTNAME=web1\", \"HOME=/root\"]",
                "- mount /state/hosts on /etc/hosts (bind,rec)",
                "- user 0:0 groups []",
                "- chdir /",
                "+ env [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOSTNAME=web1\", \"HOME=/home/app\"]",
                "+ mount /data on /srv/data (bind,rec,ro)",
                "+ mount /host/hosts on /etc/hosts (bind,rec)",
                "+ sysctl net.ipv4.ip_forward=1",
                "+ rlimit nofile 1024:4096",
                "+ user 1000:1000 groups [27,100]",
                "+ chdir /srv",
            ])
    }

    @Test("cgroup v1: one directory per controller, co-mounted ones shared, limits in v1 files, v1 mounts inside")
    func cgroupV1() throws {
        let text = try PlanFixtures.text(
            {
                $0.resources.memory = 64 << 20
                $0.resources.pidsLimit = 100
                $0.resources.setCPUs(1.5)
            }, hierarchy: PlanFixtures.v1)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines.filter { $0.hasPrefix("cgroup ") } == [
                "cgroup cpu /sys/fs/cgroup/cpu,cpuacct/cove/web1: cpu.cfs_period_us=100000 cpu.cfs_quota_us=150000",
                "cgroup cpuacct /sys/fs/cgroup/cpu,cpuacct/cove/web1",
                "cgroup freezer /sys/fs/cgroup/freezer/cove/web1",
                "cgroup memory /sys/fs/cgroup/memory/cove/web1: memory.limit_in_bytes=67108864 memory.memsw.limit_in_bytes=134217728",
                "cgroup pids /sys/fs/cgroup/pids/cove/web1: pids.max=100",
            ])
        #expect(
            lines.filter { $0.contains("on /sys/fs/cgroup") }.map { $0.split(separator: " ", maxSplits: 2)[2] } == [
                "mount tmpfs on /sys/fs/cgroup (tmpfs, nosuid,nodev,noexec) [mode=755]",
                "mount cgroup on /sys/fs/cgroup/cpu,cpuacct (cgroup, ro,nosuid,nodev,noexec,relatime) [cpu,cpuacct]",
                "mount cgroup on /sys/fs/cgroup/freezer (cgroup, ro,nosuid,nodev,noexec,relatime) [freezer]",
                "mount cgroup on /sys/fs/cgroup/memory (cgroup, ro,nosuid,nodev,noexec,relatime) [memory]",
                "mount cgroup on /sys/fs/cgroup/pids (cgroup, ro,nosuid,nodev,noexec,relatime) [pids]",
                "mount none on /sys/fs/cgroup (remount,bind,ro,nosuid,nodev,noexec)",
            ])
        let plan = try PlanFixtures.planner(PlanFixtures.v1).plan(
            PlanFixtures.spec(), user: ResolvedUser(uid: 0, gid: 0), stateDirectory: "/state")
        let config = String(decoding: plan.serialized(), as: UTF8.self)
        let shared = "/sys/fs/cgroup/cpu,cpuacct/cove/web1"
        // The shim joins a co-mounted hierarchy once.
        #expect(config.components(separatedBy: "cgroup 1\n\(shared.utf8.count):\(shared)\n").count == 2)
    }

    @Test("cgroup v2 limits: memory.max, swap, cpu.max, cpu.weight, pids.max, io.weight")
    func cgroupV2() {
        var limits = CgroupLimits()
        limits.memory = 100 << 20
        limits.memorySwap = 300 << 20
        limits.setCPUs(0.25)
        limits.cpuShares = 1024
        limits.pidsLimit = 0
        limits.blkioWeight = 500
        limits.cpusetCpus = "0-1"
        let plan = CgroupPlan(hierarchy: PlanFixtures.v2, parent: "cove", id: "x", limits: limits, privileged: false)
        #expect(
            plan.description == """
                unified /sys/fs/cgroup/cove/x: memory.max=104857600 memory.swap.max=209715200 cpu.max=25000 100000 \
                cpu.weight=39 cpuset.cpus=0-1 pids.max=max io.weight=4950
                devices (eBPF): c *:* m, b *:* m, c 1:3 rwm, c 1:5 rwm, c 1:7 rwm, c 1:8 rwm, c 1:9 rwm, \
                c 5:0 rwm, c 5:1 rwm, c 5:2 rwm, c 136:* rwm, c 10:200 rwm
                """)
    }

    @Test("bad input is refused with Docker's wording")
    func badInput() {
        let planner = PlanFixtures.planner()
        let root = ResolvedUser(uid: 0, gid: 0)
        func message(_ configure: (inout ContainerSpec) -> Void) -> String {
            do {
                _ = try planner.plan(PlanFixtures.spec(configure), user: root, stateDirectory: "/state")
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message { $0.capAdd = ["CAP_NOPE"] } == "unknown capability: \"CAP_NOPE\" (--cap-add)")
        #expect(message { $0.arguments = [] } == "no command specified")
        #expect(message { $0.workingDirectory = "srv" }.contains("must be absolute"))
        #expect(message { $0.mounts = [Mount.bind("/a", at: "/x/../../etc")] }.hasPrefix("invalid mount target"))
        #expect(message { $0.rlimits = [Rlimit(name: "nofiles", soft: 1, hard: 1)] } == "invalid ulimit type: nofiles")
        #expect(message { $0.rlimits = [Rlimit(name: "nofile", soft: 2, hard: 1)] }.contains("soft limit"))
        #expect(message { $0.sysctls = ["kernel.panic": "1"] }.contains("not allowed"))
        #expect(message { $0.resources.memory = 1 << 20 } == "Minimum memory limit allowed is 6MB")
        #expect(message { $0.id = "../x" } == "invalid container id \"../x\"")
        #expect(message { $0.seccomp = .profile("{") }.hasPrefix("invalid seccomp profile"))
    }
}
