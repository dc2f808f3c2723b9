import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// A running busybox container (`sleep 600`) to exec into, over a `RuntimeFixture`; checks that
/// each exec leaves nothing behind (its shim, descriptors of the test process, cgroup members).
final class ExecFixture {
    let base: RuntimeFixture
    let container: ContainerHandle
    let initPid: Int32
    private var counter = 0

    static func make(_ test: String = #function, configure: (inout ContainerSpec) -> Void = { _ in }) throws
        -> ExecFixture?
    {
        guard let base = try RuntimeFixture.make(test) else { return nil }
        do {
            return try ExecFixture(base: base, configure: configure)
        } catch {
            base.cleanUp()
            throw error
        }
    }

    private init(base: RuntimeFixture, configure: (inout ContainerSpec) -> Void) throws {
        self.base = base
        var spec = base.spec(["sleep", "600"])
        configure(&spec)
        container = try base.create(spec)
        try base.runtime.start(container)
        initPid = try base.runtime.state(container).pid
    }

    var runtime: Runtime { base.runtime }

    func cleanUp() { base.cleanUp() }

    /// A fresh exec directory under the fixture's.
    func directory() -> String {
        counter += 1
        return base.directory.appendingPathComponent("exec-\(counter)").path
    }

    /// Creates, starts and waits for an exec; returns its record and its stdout and stderr.
    func run(_ spec: ExecSpec) throws -> (ContainerState, String, String) {
        let exec = try runtime.exec(container, process: spec, stateDirectory: directory())
        defer { try? runtime.delete(exec) }
        try runtime.start(exec)
        let state = try runtime.wait(exec)
        let entries = try LogEntry.read(exec.logPath)
        let out = entries.filter { $0.stream == "stdout" }.map(\.log).joined()
        let err = entries.filter { $0.stream == "stderr" }.map(\.log).joined()
        try expectGone(exec, state: state)
        return (state, out, err)
    }

    func output(_ arguments: [String], configure: (inout ExecSpec) -> Void = { _ in }) throws -> String {
        var spec = ExecSpec(arguments: arguments)
        configure(&spec)
        let (state, out, err) = try run(spec)
        #expect(state.exitCode == 0, "\(arguments): \(err)")
        return out
    }

    /// The exec's shim has exited and its process is no longer in the container's cgroups.
    func expectGone(_ exec: ExecHandle, state: ContainerState) throws {
        let pidText = try String(contentsOfFile: exec.stateDirectory + "/shim.pid", encoding: .utf8)
        let shim = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        for _ in 0..<400 where ExecFixture.isRunning(shim) { usleep(5000) }
        #expect(!ExecFixture.isRunning(shim), "the exec's shim \(shim) is still running")
        if let cgroup = container.cgroup {
            #expect(!cgroup.processes().contains(state.pid), "the exec'd process is still in the container's cgroup")
        }
        #expect(state.pid == 0 || !ExecFixture.isRunning(state.pid), "the exec'd process \(state.pid) is still running")
    }

    /// Alive and not a zombie: the shim's parent is whichever reaper adopted it (here, the
    /// sandbox's init, which reaps when it pleases), so an exited shim may linger as a zombie.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[close...].hasPrefix(") Z") && !stat[close...].hasPrefix(") X")
    }

    /// Descriptors of this test process that lead into the fixture's directory (an exec's
    /// files, sockets or FIFOs kept open by mistake). Counting all of them would not do: other
    /// suites open and close descriptors at the same time.
    func leakedDescriptors() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
            .filter { $0.hasPrefix(base.directory.path) }
    }
}
