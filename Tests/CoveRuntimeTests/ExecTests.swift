import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

@Suite("Exec", .serialized)
struct ExecTests {
    @Test("an exec joins every namespace of the init, with its capabilities, seccomp and no_new_privs")
    func joinsTheContainer() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        let filters = try Self.cachedFilters(fixture)
        #expect(filters.count == 1 && filters.keys.allSatisfy { $0.hasSuffix(".bpf") })
        for name in ["mnt", "pid", "uts", "ipc", "net", "cgroup"] {
            let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(fixture.initPid)/ns/\(name)")
            #expect(try fixture.output(["readlink", "/proc/self/ns/\(name)"]) == host + "\n", "namespace \(name)")
        }
        #expect(try fixture.output(["hostname"]) == "box1\n")
        #expect(try fixture.output(["id"]).hasPrefix("uid=0(root) gid=0(root)"))
        let status = try fixture.output(["cat", "/proc/self/status"])
        let initStatus = try String(contentsOfFile: "/proc/\(fixture.initPid)/status", encoding: .utf8)
        func field(_ text: String, _ key: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(key + ":") }.map {
                $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            }
        }
        for key in ["CapEff", "CapPrm", "CapBnd", "Seccomp", "NoNewPrivs"] {
            #expect(field(status, key) != nil && field(status, key) == field(initStatus, key), "\(key)")
        }
        #expect(field(status, "Seccomp") == "2")
        // In the container's pid namespace: the init is pid 1 there, the exec is not.
        #expect(try fixture.output(["sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '"]) == "sleep 600 ")
        // No descriptor but 0-2 reaches the process (CVE-2024-21626).
        #expect(try fixture.output(["ls", "/proc/self/fd"]).split(separator: "\n").sorted() == ["0", "1", "2", "3"])
        #expect(fixture.leakedDescriptors() == [])
        if let cgroup = fixture.container.cgroup { #expect(cgroup.processes() == [fixture.initPid]) }
        // The filter came from the container's cache: compiling again would have replaced the file.
        #expect(try Self.cachedFilters(fixture) == filters)
    }

    /// The compiled seccomp filters in the cache, with their inode numbers.
    static func cachedFilters(_ fixture: ExecFixture) throws -> [String: UInt64] {
        let directory = try #require(fixture.runtime.seccompCacheDirectory)
        var result: [String: UInt64] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")
            result[name] = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        }
        return result
    }

    @Test("-u, -w and -e; the exit code is propagated")
    func userDirectoryEnvironmentExit() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        #expect(try fixture.output(["id"]) { $0.user = "nobody" }.hasPrefix("uid=65534(nobody) gid=65534(nogroup)"))
        #expect(try fixture.output(["id", "-u"]) { $0.user = "65534:0" } == "65534\n")
        let groups = try fixture.output(["id", "-G"]) {
            $0.user = "nobody"
            $0.additionalGroups = ["root", "42"]
        }
        #expect(groups == "65534 0 42\n")
        #expect(try fixture.output(["sh", "-c", "echo $HOME"]) { $0.user = "nobody" } == "/home\n")
        #expect(try fixture.output(["pwd"]) { $0.workingDirectory = "/tmp" } == "/tmp\n")
        #expect(try fixture.output(["pwd"]) == "/\n")
        #expect(try fixture.output(["sh", "-c", "echo $X $HOSTNAME"]) { $0.environment = ["X=1"] } == "1 box1\n")
        let (state, _, _) = try fixture.run(ExecSpec(arguments: ["sh", "-c", "echo out; exit 7"]))
        #expect(state.status == .exited && state.exitCode == 7)
        #expect(throws: CoveError.self) { _ = try fixture.output(["id"]) { $0.user = "nosuchuser" } }
    }

    @Test("a missing command is 127 (not found), a file that is not executable 126; a bad -w names its step")
    func commandErrors() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        for (arguments, code, expected) in [
            (["nosuchcommand"], Int32(127), CoveError.Code.notFound), (["/etc/passwd"], 126, .invalidInput),
        ] {
            let exec = try fixture.runtime.exec(
                fixture.container, process: ExecSpec(arguments: arguments), stateDirectory: fixture.directory())
            defer { try? fixture.runtime.delete(exec) }
            do {
                try fixture.runtime.start(exec)
                Issue.record("\(arguments) started")
            } catch {
                #expect(error.code == expected)
                #expect(error.cause?.hasPrefix("exec step ") == true, "\(error)")
            }
            let state = try fixture.runtime.wait(exec)
            #expect(state.exitCode == code)
            try fixture.expectGone(exec, state: state)
        }
        var spec = ExecSpec(arguments: ["true"])
        spec.workingDirectory = "/no/such/dir"
        let directory = fixture.directory()
        do {
            _ = try fixture.runtime.exec(fixture.container, process: spec, stateDirectory: directory)
            Issue.record("an exec in a missing directory was created")
        } catch {
            #expect(
                error.cause?.hasPrefix("exec step ") == true
                    && error.cause?.contains("chdir /no/such/dir: No such file") == true, "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
        if let cgroup = fixture.container.cgroup { #expect(cgroup.processes() == [fixture.initPid]) }
    }

    @Test("a tty exec gets a pty of its own; stdin reaches cat through the attach socket")
    func ttyAndStdin() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        let tty = try fixture.output(["tty"]) { $0.tty = true }
        #expect(tty.hasPrefix("/dev/pts/") && tty.hasSuffix("\r\n"), "\(tty)")

        var spec = ExecSpec(arguments: ["cat"])
        spec.openStdin = true
        let exec = try fixture.runtime.exec(fixture.container, process: spec, stateDirectory: fixture.directory())
        defer { try? fixture.runtime.delete(exec) }
        let client = try AttachClient(path: exec.attachSocketPath)
        try fixture.runtime.start(exec)
        client.send("hello\n")
        let frames = AttachClient.frames(client.read { !AttachClient.frames($0).isEmpty })
        #expect(frames.first.map { $0 == (1, "hello\n") } == true)
        try fixture.runtime.closeStdin(exec)
        let state = try fixture.runtime.wait(exec)
        #expect(state.exitCode == 0)
        try fixture.expectGone(exec, state: state)

        var shell = ExecSpec(arguments: ["sh", "-c", "read line; stty size; echo \"got $line\""])
        shell.tty = true
        shell.openStdin = true
        let interactive = try fixture.runtime.exec(
            fixture.container, process: shell, stateDirectory: fixture.directory())
        defer { try? fixture.runtime.delete(interactive) }
        let terminal = try AttachClient(path: interactive.attachSocketPath)
        try fixture.runtime.start(interactive)
        try fixture.runtime.resize(interactive, rows: 33, columns: 101)
        usleep(50_000)
        terminal.send("hi\n")
        let text = String(
            decoding: terminal.read { String(decoding: $0, as: UTF8.self).contains("got hi") }, as: UTF8.self)
        #expect(text.contains("33 101\r\n") && text.contains("got hi\r\n"), "\(text)")
        #expect(try fixture.runtime.wait(interactive).exitCode == 0)
    }

    @Test("ten execs run at once, each with its own output and exit code")
    func parallel() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        let directories = (0..<10).map { _ in fixture.directory() }
        let results = Results()
        let runtime = fixture.runtime
        let container = fixture.container
        DispatchQueue.concurrentPerform(iterations: 10) { index in
            do {
                let spec = ExecSpec(arguments: ["sh", "-c", "sleep 0.2; echo exec\(index); exit \(index)"])
                let exec = try runtime.exec(container, process: spec, stateDirectory: directories[index])
                try runtime.start(exec)
                let state = try runtime.wait(exec)
                let output = try LogEntry.read(exec.logPath).map(\.log).joined()
                results.set(index, "\(state.exitCode) \(output)")
                try runtime.delete(exec)
            } catch {
                results.set(index, "\(error)")
            }
        }
        #expect(results.all() == (0..<10).map { "\($0) exec\($0)\n" })
        if let cgroup = fixture.container.cgroup { #expect(cgroup.processes() == [fixture.initPid]) }
        #expect(directories.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        #expect(fixture.leakedDescriptors() == [])
    }

    @Test("CVE-2019-5736 and CVE-2024-21626: a waiting exec runs from the sealed shim and holds no host descriptor")
    func sealedAndNoLeaks() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        let waiting = try fixture.runtime.exec(
            fixture.container, process: ExecSpec(arguments: ["true"]), stateDirectory: fixture.directory())
        defer { try? fixture.runtime.delete(waiting) }
        let child = try fixture.runtime.state(waiting).pid
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child)/exe").hasPrefix(
                "/memfd:cove-shim"))
        // Its namespace descriptors are closed once joined; only stdio and the sync socket remain.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child)/fd").sorted() == ["0", "1", "2", "3"])
        let attack = """
            for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = memfd:cove-shim ] || continue
            (echo pwned >> $p/exe) 2>/dev/null && echo WROTE || echo refused; done
            """
        #expect(try fixture.output(["sh", "-c", attack]) == "refused\n")
        try fixture.runtime.start(waiting)
        #expect(try fixture.runtime.wait(waiting).exitCode == 0)
    }

    @Test(
        "exec into a paused container is refused (409, as Docker), into a stopped one too; a running exec ends with its container"
    )
    func pausedAndStopped() throws {
        guard let fixture = try ExecFixture.make() else { return }
        defer { fixture.cleanUp() }
        let runtime = fixture.runtime
        try runtime.pause(fixture.container)
        do {
            _ = try runtime.exec(
                fixture.container, process: ExecSpec(arguments: ["true"]), stateDirectory: fixture.directory())
            Issue.record("exec in a paused container was accepted")
        } catch {
            #expect(error.code == .conflict && error.message.contains("is paused"))
        }
        try runtime.unpause(fixture.container)
        #expect(try fixture.output(["echo", "after"]) == "after\n")

        let long = "/tmp/" + String(repeating: "x", count: 100)
        do {
            _ = try runtime.exec(fixture.container, process: ExecSpec(arguments: ["true"]), stateDirectory: long)
            Issue.record("an exec directory too long for its attach socket was accepted")
        } catch {
            #expect(error.code == .invalidInput)
        }
        #expect(!FileManager.default.fileExists(atPath: long))

        // A running exec ends with its container (the pid namespace goes), and says so.
        let sleeper = try runtime.exec(
            fixture.container, process: ExecSpec(arguments: ["sleep", "600"]), stateDirectory: fixture.directory())
        defer { try? runtime.delete(sleeper) }
        try runtime.start(sleeper)
        try runtime.kill(fixture.container, signal: 9)
        _ = try runtime.wait(fixture.container)
        let ended = try runtime.wait(sleeper)
        #expect(ended.status == .exited && ended.exitCode == 137 && ended.signal == 9)
        try fixture.expectGone(sleeper, state: ended)
        let directory = fixture.directory()
        do {
            _ = try runtime.exec(fixture.container, process: ExecSpec(arguments: ["true"]), stateDirectory: directory)
            Issue.record("exec in a stopped container was accepted")
        } catch {
            #expect(error.code == .conflict && error.message.contains("is not running"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}

/// Results written from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: String] = [:]

    func set(_ index: Int, _ value: String) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func all() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return values.keys.sorted().compactMap { values[$0] }
    }
}
