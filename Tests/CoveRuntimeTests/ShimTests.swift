import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// Starts the shim from a stand-in daemon (`sh`) that the test can kill with SIGKILL.
struct StandInDaemonLauncher: ShimLauncher {
    let pidFile: String

    func launch(shim: String, stateDirectory: String) throws(CoveError) {
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/bin/sh")
        daemon.arguments = [
            "-c", "\"$0\" run \"$1\" && echo created > \"$1/launched\"; exec sleep 600", shim, stateDirectory,
        ]
        do { try daemon.run() } catch { throw CoveError(.io, "cannot start the stand-in daemon: \(error)") }
        try? AtomicFile.write(Array(String(daemon.processIdentifier).utf8), to: pidFile)
        for _ in 0..<2000 where !KernelFile.exists(stateDirectory + "/launched") {
            ChildProcess.sleep(microseconds: 2000)
        }
        guard KernelFile.exists(stateDirectory + "/launched") else { throw CoveError(.io, "the shim did not start") }
    }
}

@Suite("Shim", .serialized)
struct ShimTests {
    @Test("the shim outlives a kill -9 of the daemon that started it, and still records the exit")
    func survivesDaemonKill() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let pidFile = fixture.directory.appendingPathComponent("daemon.pid").path
        var runtime = fixture.runtime
        runtime.launcher = StandInDaemonLauncher(pidFile: pidFile)
        let spec = fixture.spec(["sh", "-c", "sleep 0.5; echo bye; exit 7"])
        let state = fixture.directory.appendingPathComponent("state-\(spec.id)").path
        let handle = try runtime.create(spec, stateDirectory: state)
        let daemon = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
        kill(daemon, SIGKILL)
        waitpid(daemon, nil, 0)
        #expect(runtime.shimIsAlive(handle))

        let adopted = try fixture.runtime.adopt(id: spec.id, stateDirectory: state)
        #expect(adopted.cgroup == handle.cgroup)
        try fixture.runtime.start(adopted)
        let exited = try fixture.runtime.wait(adopted)
        #expect(exited.status == .exited)
        #expect(exited.exitCode == 7)
        #expect(try LogEntry.read(adopted.logPath).map(\.log) == ["bye\n"])
        try fixture.runtime.delete(adopted)
    }

    @Test("json-file rotation keeps max-file files of at most max-size bytes")
    func logRotation() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["sh", "-c", "i=0; while [ $i -lt 300 ]; do echo \"line $i\"; i=$((i+1)); done"])
        spec.logMaxSize = 2000
        spec.logMaxFiles = 3
        let handle = try fixture.create(spec)
        try fixture.runtime.start(handle)
        _ = try fixture.runtime.wait(handle)
        let files = [handle.logPath, handle.logPath + ".1", handle.logPath + ".2"]
        for file in files {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            #expect(size > 0 && size <= 2000, "\(file): \(size) bytes")
            #expect(try LogEntry.read(file).allSatisfy { $0.stream == "stdout" && $0.log.hasPrefix("line ") })
        }
        #expect(!FileManager.default.fileExists(atPath: handle.logPath + ".3"))
        #expect(try LogEntry.read(handle.logPath).last?.log == "line 299\n")
    }

    @Test("with a tty the process has a pty of its own devpts as stdio and /dev/console")
    func tty() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec(["sh", "-c", "tty; test -t 0 && test -t 1 && echo isatty; ls /dev/console"])
        spec.tty = true
        let (state, output) = try fixture.output(spec)
        #expect(state.exitCode == 0)
        #expect(output.replacingOccurrences(of: "\r", with: "") == "/dev/pts/0\nisatty\n/dev/console\n")
    }

    @Test("CVE-2019-5736: the shim runs from a sealed memfd that nothing can write, not even from inside")
    func sealedBinary() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec([
            "sh", "-c",
            "cat /proc/1/comm; (echo pwned >> /proc/1/exe) 2>/dev/null && echo WROTE || echo refused; sleep 5",
        ])
        spec.initProcess = true
        let handle = try fixture.create(spec)
        let shimPid = try #require(
            Int32(
                String(contentsOfFile: handle.stateDirectory + "/shim.pid", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(shimPid)/exe")
        #expect(exe.hasPrefix("/memfd:cove-shim"), "the shim runs from \(exe)")
        let writable = open("/proc/\(shimPid)/exe", O_WRONLY)
        #expect(writable < 0)
        if writable >= 0 { close(writable) }
        try fixture.runtime.start(handle)
        var output = ""
        try RuntimeFixture.waitUntil {
            output = try LogEntry.read(handle.logPath).map(\.log).joined()
            return output.contains("refused") || output.contains("WROTE")
        }
        #expect(output.hasPrefix("memfd:cove-shim\nrefused\n"), "\(output)")
        // CVE-2024-21626: the init (here the reaper) kept no descriptor of the host's: only 0, 1 and 2.
        let initPid = try fixture.runtime.state(handle).pid
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(initPid)/fd").sorted()
        #expect(descriptors == ["0", "1", "2"])
        try fixture.runtime.kill(handle, signal: 9)
        #expect(try fixture.runtime.wait(handle).exitCode == 137)
    }
}
