import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// cgroup limits, stats, OOM kills, the freezer and clean-up, as root on this machine's layout.
@Suite("Container limits", .serialized)
struct ContainerLimitsTests {
    @Test("the memory limit is visible inside, and a process allocating past it is reported OOM-killed")
    func memoryAndOOM() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let limitFile =
            fixture.runtime.planner.hierarchy.map {
                if case .v2 = $0.version { return "/sys/fs/cgroup/memory.max" }
                return "/sys/fs/cgroup/memory/memory.limit_in_bytes"
            } ?? ""
        var spec = fixture.spec(["sh", "-c", "cat \(limitFile); exec dd if=/dev/zero of=/dev/null bs=64M count=1"])
        spec.resources.memory = 16 << 20
        spec.resources.memorySwap = 16 << 20
        let (state, output) = try fixture.output(spec)
        #expect(output.hasPrefix("\(16 << 20)\n"))
        #expect(state.oomKilled)
        #expect(state.signal == 9)
        #expect(state.exitCode == 137)
    }

    @Test("a pids limit bounds a fork bomb")
    func pidsLimit() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let pids =
            fixture.runtime.planner.hierarchy.map {
                if case .v2 = $0.version { return "/sys/fs/cgroup/pids.current" }
                return "/sys/fs/cgroup/pids/pids.current"
            } ?? ""
        // The inner shell forks until the kernel refuses (ash then exits); `read` and `echo` are
        // builtins, so the outer one reports without forking.
        let bomb = """
            sh -c 'i=0; while [ $i -lt 1000 ]; do sleep 30 & i=$((i+1)); done' 2>/dev/null
            read current < \(pids); echo "$current"
            """
        var spec = fixture.spec(["sh", "-c", bomb])
        spec.resources.pidsLimit = 20
        let (state, output) = try fixture.output(spec)
        #expect(state.status == .exited)
        let count = Int(output.split(separator: "\n").last ?? "") ?? 0
        #expect(count > 1 && count <= 20, "processes seen inside: \(output)")
    }

    @Test("stats read the cgroup; pause freezes and unpause thaws; delete removes the cgroups")
    func statsPauseDelete() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["sh", "-c", "while true; do echo tick; sleep 0.05; done"])
        spec.resources.setCPUs(0.5)
        spec.resources.cpuShares = 512
        spec.resources.pidsLimit = 50
        let handle = try fixture.create(spec)
        try fixture.runtime.start(handle)
        #expect(try fixture.runtime.state(handle).status == .running)
        ChildProcess.sleep(microseconds: 200_000)
        let stats = try fixture.runtime.stats(handle)
        #expect((stats.memoryUsage ?? 0) > 0)
        #expect((stats.cpuUsageNanoseconds ?? 0) > 0)
        #expect((stats.pids ?? 0) >= 1)
        #expect(stats.pidsLimit == 50)
        if let cpu = handle.cgroup?.paths["cpu"] {
            #expect(try KernelFile.read(cpu + "/cpu.cfs_quota_us") == "50000\n")
            #expect(try KernelFile.read(cpu + "/cpu.shares") == "512\n")
        }

        try fixture.runtime.pause(handle)
        #expect(handle.cgroup?.isFrozen() == true)
        let frozenLines = try LogEntry.read(handle.logPath).count
        ChildProcess.sleep(microseconds: 300_000)
        #expect(try LogEntry.read(handle.logPath).count == frozenLines)
        try fixture.runtime.unpause(handle)
        #expect(handle.cgroup?.isFrozen() == false)
        #expect(try RuntimeFixture.waitUntil { try LogEntry.read(handle.logPath).count > frozenLines })

        #expect(throws: CoveError.self) { try fixture.runtime.delete(handle) }
        try fixture.runtime.delete(handle, force: true)
        let state = try fixture.runtime.state(handle)
        #expect(state.status == .exited)
        #expect(state.signal == 9)
        for path in handle.cgroup?.directories ?? [] { #expect(!KernelFile.exists(path), "\(path) left behind") }
    }

    @Test("the v2 freezer works on a cgroup2 hierarchy (the unified mount beside v1 here)")
    func v2Freezer() throws {
        guard geteuid() == 0 else {
            print("skipped v2Freezer: needs root")
            return
        }
        let mountInfo = try KernelFile.read("/proc/self/mountinfo") ?? ""
        let unified = mountInfo.split(separator: "\n").map { $0.split(separator: " ") }
            .first { $0.count > 8 && $0.contains("cgroup2") }.map { String($0[4]) }
        guard let unified else {
            print("skipped v2Freezer: no cgroup2 mount")
            return
        }
        let plan = CgroupPlan(
            hierarchy: CgroupHierarchy(version: .v2(mountPoint: unified)), parent: "cove-test-v2",
            id: "f\(getpid())", limits: CgroupLimits(), privileged: false)
        let cgroup = try Cgroup.create(plan)
        defer {
            try? cgroup.remove()
            rmdir("\(unified)/cove-test-v2")
        }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { sleeper.terminate() }
        let path = try #require(cgroup.paths["unified"])
        try KernelFile.write(String(sleeper.processIdentifier), to: path + "/cgroup.procs")
        #expect(cgroup.processes() == [sleeper.processIdentifier])
        try cgroup.setFrozen(true)
        #expect(cgroup.isFrozen())
        try cgroup.setFrozen(false)
        #expect(!cgroup.isFrozen())
        try cgroup.remove()
        #expect(!KernelFile.exists(path))
    }
}

/// The cgroup v2 driver end to end, on this host's cgroup2 mount (beside the v1 controllers on a
/// hybrid host): the eBPF device filter, the freezer and clean-up.
@Suite("Container on cgroup v2", .serialized)
struct ContainerCgroupV2Tests {
    @Test("the eBPF device filter denies a device outside the list (made with mknod) and allows /dev/null; pause works")
    func deviceFilter() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let mountInfo = try KernelFile.read("/proc/self/mountinfo") ?? ""
        guard
            let unified = mountInfo.split(separator: "\n").map({ $0.split(separator: " ") })
                .first(where: { $0.count > 8 && $0.contains("cgroup2") }).map({ String($0[4]) })
        else {
            print("skipped deviceFilter: no cgroup2 mount")
            return
        }
        if unified != "/sys/fs/cgroup" {
            fixture.runtime.planner.hierarchy = CgroupHierarchy(version: .v2(mountPoint: unified))
        }
        // /dev/kmsg (c 1:11) is not in the allowed list and needs no capability to write, so
        // only the filter can refuse it (a debug-level line reaches the kernel log when allowed).
        func script(_ node: String) -> String {
            """
            mknod /dev/\(node) c 1 11 && (echo "<7>cove device filter test" > /dev/\(node) 2>/dev/null && echo dev-open || echo dev-denied)
            echo x > /dev/null && echo null-ok
            sleep 2
            """
        }
        let handle = try fixture.create(fixture.spec(["sh", "-c", script("confined")]))
        #expect(handle.cgroup?.isV2 == true)
        try fixture.runtime.start(handle)
        RuntimeFixture.waitUntil { (try? LogEntry.read(handle.logPath))?.contains { $0.log == "null-ok\n" } == true }
        try fixture.runtime.pause(handle)
        #expect(handle.cgroup?.isFrozen() == true)
        try fixture.runtime.unpause(handle)
        let state = try fixture.runtime.wait(handle)
        #expect(state.exitCode == 0)
        let entries = try LogEntry.read(handle.logPath)
        let output = entries.filter { $0.stream == "stdout" }.map(\.log).joined()
        #expect(output == "dev-denied\nnull-ok\n", "\(output)")
        #expect(entries.contains { $0.stream == "stderr" && $0.log.contains("Operation not permitted") })
        try fixture.runtime.delete(handle)
        for path in handle.cgroup?.directories ?? [] { #expect(!KernelFile.exists(path)) }

        // The contrast: privileged, there is no filter and the same read succeeds.
        var privileged = fixture.spec(["sh", "-c", script("privileged")])
        privileged.privileged = true
        let (_, open) = try fixture.output(privileged)
        #expect(open == "dev-open\nnull-ok\n", "\(open)")
    }
}
