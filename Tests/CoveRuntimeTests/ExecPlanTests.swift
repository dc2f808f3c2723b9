import CoveCore
import Foundation
import Testing

@testable import CoveRuntime

/// Planning an exec from its container's config, without root.
@Suite("Exec plan")
struct ExecPlanTests {
    static func container(_ configure: (inout ContainerSpec) -> Void = { _ in }, user: ResolvedUser? = nil) throws
        -> (RuntimePlan, [ShimRecord])
    {
        var plan = try PlanFixtures.planner().plan(
            PlanFixtures.spec(configure), user: user ?? ResolvedUser(uid: 0, gid: 0, home: "/root"),
            stateDirectory: "/state")
        plan.seccompCacheDirectory = "/var/lib/cove/seccomp"
        return (plan, try ShimRecord.parse(plan.serialized()))
    }

    static func exec(
        _ spec: ExecSpec, container: [ShimRecord], user: ResolvedUser? = nil,
        available: Set<Capability> = Capability.all
    ) throws(CoveError) -> ExecPlan {
        try ExecPlanner.plan(
            spec, container: container, initPid: 4242, user: user, availableCapabilities: available,
            stateDirectory: "/run/cove/exec/e1")
    }

    static func step(_ plan: RuntimePlan, _ name: String) -> ShimRecord? {
        plan.steps.first { $0.name == name }.map { ShimRecord($0.name, $0.arguments) }
    }

    @Test("a config reads back as the records written; a truncated one is refused with its offset")
    func recordsRoundTrip() throws {
        let (plan, records) = try Self.container()
        #expect(ShimRecord.serialize(records) == plan.serialized())
        #expect(records.first == ShimRecord("rootfs", ["/var/lib/cove/rootfs/web1"]))
        let bytes = plan.serialized()
        #expect(throws: CoveError.self) { try ShimRecord.parse(Array(bytes.dropLast(3))) }
        #expect(throws: CoveError.self) { try ShimRecord.parse(Array("cove-shim-config 2\n".utf8)) }
        #expect(throws: CoveError.self) { try ShimRecord.parse(Array("cove-shim-config 1\nargs 1\n99:x\n".utf8)) }
    }

    @Test("the default exec joins every namespace (pid first, mnt last) and keeps the container's security")
    func defaultExec() throws {
        let (container, records) = try Self.container()
        let plan = try Self.exec(ExecSpec(arguments: ["ls", "-l"]), container: records)
        let names = plan.steps.map { ([$0.name] + $0.arguments).prefix(2).joined(separator: " ") }
        #expect(
            names.prefix(6) == ["setns pid", "setns ipc", "setns uts", "setns net", "setns cgroup", "setns mnt"])
        #expect(plan.steps.map(\.name).dropFirst(6) == ["stdin-null", "bounding", "seccomp", "user", "chdir", "caps"])
        for name in ["bounding", "user", "chdir", "caps"] {
            #expect(plan.steps.first { $0.name == name } == Self.step(container, name), "\(name)")
        }
        let copied = records.filter { ExecPlanner.seccompRecords.contains($0.name) || $0.name == "cgroup" }
        #expect(!copied.isEmpty && copied.allSatisfy(plan.records.contains))
        #expect(plan.records.contains(ShimRecord("exec-pid", ["4242"])))
        #expect(plan.records.contains(ShimRecord("args", ["ls", "-l"])))
        #expect(plan.records.contains(ShimRecord("log", ["/run/cove/exec/e1/exec-json.log", "1048576", "1"])))
        #expect(plan.records.first { $0.name == "env" }?.arguments == container.environment)
        let text = plan.description
        #expect(text.hasPrefix("exec in pid 4242\ncgroup join /sys/fs/cgroup/cove/web1\nprocess [\"ls\", \"-l\"]\n"))
        #expect(
            text.contains(
                "seccomp \(records.filter { $0.name == "syscall" }.count) rules cached /var/lib/cove/seccomp/"))
        #expect(
            text.hasSuffix(
                "step 12 caps \(Self.step(container, "caps")?.arguments.joined(separator: " ") ?? "")\n"
                    + ExecPlan.syncPoints[2] + "\n" + ExecPlan.syncPoints[3] + "\nstep 13 exec ls\n"))
    }

    @Test("-u, -w, -e, -t, -i and --privileged")
    func options() throws {
        let (container, records) = try Self.container({
            $0.environment = ["A=1", "HOME=/root"]
            $0.workingDirectory = "/srv"
            $0.noNewPrivileges = true
        })
        var spec = ExecSpec(arguments: ["sh"])
        spec.tty = true
        spec.openStdin = true
        spec.environment = ["A=2", "B=3"]
        spec.privileged = true
        let user = ResolvedUser(uid: 65534, gid: 65534, groups: [5], home: "/home")
        let available = Set(["CHOWN", "SYS_ADMIN"].compactMap(Capability.init(name:)))
        let plan = try Self.exec(spec, container: records, user: user, available: available)
        let mask = String(Capability.mask(available))
        #expect(
            plan.steps.map(\.name).dropFirst(6) == [
                "pty", "bounding", "user", "chdir", "caps", "no-new-privs", "seccomp",
            ])
        #expect(plan.steps.contains(ShimRecord("bounding", [mask])))
        #expect(plan.steps.contains(ShimRecord("caps", [mask, mask, "0", "0"])))
        #expect(plan.steps.contains(ShimRecord("user", ["65534", "65534", "5"])))
        #expect(plan.steps.contains(ShimRecord("chdir", ["/srv"])))
        #expect(plan.records.contains(ShimRecord("tty")) && plan.records.contains(ShimRecord("open-stdin")))
        let env = plan.records.first { $0.name == "env" }?.arguments ?? []
        #expect(env.contains("A=2") && env.contains("B=3") && env.contains("TERM=xterm") && env.contains("HOME=/home"))
        #expect(!env.contains("A=1") && !env.contains("HOME=/root"))
        #expect(env.count == container.environment.count + 2)

        spec = ExecSpec(arguments: ["cat"])
        spec.openStdin = true
        spec.workingDirectory = "/tmp"
        let reader = try Self.exec(spec, container: records)
        #expect(!reader.steps.contains { $0.name == "stdin-null" || $0.name == "pty" })
        #expect(reader.steps.contains(ShimRecord("chdir", ["/tmp"])))
    }

    @Test("a container without its own network or seccomp: no setns net, no filter")
    func sharedNamespacesUnconfined() throws {
        let (_, records) = try Self.container({
            $0.namespaces.remove(.network)
            $0.seccomp = .unconfined
        })
        let plan = try Self.exec(ExecSpec(arguments: ["true"]), container: records)
        #expect(!plan.steps.contains(ShimRecord("setns", ["net"])))
        #expect(plan.steps.filter { $0.name == "setns" }.last == ShimRecord("setns", ["mnt"]))
        #expect(!plan.steps.contains { $0.name == "seccomp" })
        #expect(!plan.records.contains { ExecPlanner.seccompRecords.contains($0.name) })
    }

    @Test("bad input is refused with Docker's wording")
    func badInput() throws {
        let (_, records) = try Self.container()
        #expect(throws: CoveError.self) { try Self.exec(ExecSpec(arguments: []), container: records) }
        var relative = ExecSpec(arguments: ["ls"])
        relative.workingDirectory = "tmp"
        do {
            _ = try Self.exec(relative, container: records)
            Issue.record("a relative working directory was accepted")
        } catch {
            #expect(error.message == "the working directory 'tmp' is invalid, it needs to be an absolute path")
        }
        var env = ExecSpec(arguments: ["ls"])
        env.environment = ["=x"]
        #expect(throws: CoveError.self) { try Self.exec(env, container: records) }
        #expect(throws: CoveError.self) {
            try Self.exec(ExecSpec(arguments: ["ls"]), container: records.filter { $0.name != "rootfs" })
        }
    }

    @Test("the shim reads an exec plan back: exec-pid, setns and pty steps")
    func shimReadsExecPlan() throws {
        let (_, records) = try Self.container()
        var spec = ExecSpec(arguments: ["sh"])
        spec.tty = true
        let plan = try Self.exec(spec, container: records)
        let directory = try ShimConfigTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ShimConfigTests.check(plan.serialized(), in: directory)
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "exec-pid 4242")
        let steps = lines.filter { $0.hasPrefix("step ") }
        #expect(steps.count == plan.steps.count)
        #expect(steps.first == "step 1 setns pid" && steps.contains("step 7 pty"))
    }
}
