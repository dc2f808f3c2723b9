import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// Bad input at create: a clear error naming the step, and nothing left behind.
@Suite("Create failures", .serialized)
struct CreateFailureTests {
    @Test("a bind mount from a missing path fails at its step; no cgroup, shim or mount is left")
    func missingBindSource() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["true"])
        spec.mounts = [Mount.bind("/no/such/dir", at: "/data")]
        let state = fixture.directory.appendingPathComponent("state-\(spec.id)").path
        var message = ""
        do {
            _ = try fixture.runtime.create(spec, stateDirectory: state)
        } catch {
            message = error.description
        }
        #expect(message.contains("mount /no/such/dir on /data: No such file or directory"), "\(message)")
        #expect(message.contains("step "))
        let record = try #require(ContainerState(recorded: try KernelFile.read(state + "/state") ?? ""))
        #expect(record.status == .failed)
        let shim = Int32((try KernelFile.read(state + "/shim.pid") ?? "").split(separator: "\n").first ?? "") ?? 0
        #expect(shim > 0 && !Self.isRunning(shim))
        let plan = try fixture.runtime.planner.plan(spec, user: ResolvedUser(uid: 0, gid: 0), stateDirectory: state)
        for directory in plan.cgroup?.directories ?? [] {
            #expect(!KernelFile.exists(directory.path), "\(directory.path) left behind")
        }
        let mounts = try KernelFile.read("/proc/self/mountinfo") ?? ""
        #expect(!mounts.contains(fixture.rootfs))
    }

    /// Whether `pid` is alive and not a zombie (the exited shim waits for init to reap it).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? KernelFile.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
            return false
        }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    @Test("an unknown user fails before anything is created")
    func unknownUser() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["true"])
        spec.user = "ghost"
        let state = fixture.directory.appendingPathComponent("state-\(spec.id)").path
        #expect(throws: CoveError.self) { try fixture.runtime.create(spec, stateDirectory: state) }
        #expect(!KernelFile.exists(state + "/config"))
        #expect(!KernelFile.exists(state + "/shim.pid"))
    }

    @Test("a signal that does not exist is refused before the shim is asked")
    func badSignal() {
        let runtime = Runtime(planner: PlanFixtures.planner(), shimPath: "/nonexistent/cove-shim")
        let handle = ContainerHandle(id: "x", stateDirectory: "/nonexistent/state", cgroup: nil)
        #expect(throws: CoveError.self) { try runtime.kill(handle, signal: 0) }
        #expect(throws: CoveError.self) { try runtime.kill(handle, signal: 65) }
        #expect(ChildProcess.signalNumber("SIGTERM") == 15)
        #expect(ChildProcess.signalNumber("kill") == 9)
        #expect(ChildProcess.signalNumber("SIGNOPE") == nil)
    }
}
