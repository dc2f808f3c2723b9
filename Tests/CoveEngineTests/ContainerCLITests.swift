import Foundation
import Testing

/// `cove container …` as a user runs it, against the same isolated daemon the docker CLI sees.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ContainerCLITests {
    func cove(_ daemon: ContainerDaemon, _ arguments: [String]) throws -> ExternalCommand.Result {
        let binary = try #require(DaemonProcess.binary)
        return try ExternalCommand.run(
            binary, ["container"] + arguments,
            environment: ["COVE_HOST": daemon.host, "COVE_ROOT": daemon.daemon.root, "DOCKER_HOST": nil])
    }

    @Test func limitsKernelSettingsAndStopFlagsReachTheContainer() throws {
        guard let daemon = try ContainerDaemon.start() else { return }
        defer { daemon.cleanUp() }
        let result = try cove(
            daemon,
            [
                "run", "--rm", "--ulimit", "nofile=1024:2048", "--sysctl", "kernel.shm_rmid_forced=1", "--shm-size",
                "8m", "--group-add", "1234", "-c", "512", "--memory", "64m", "--memory-swap", "128m", "busybox",
                "sh", "-c",
                "ulimit -n; ulimit -Hn; cat /proc/sys/kernel/shm_rmid_forced; df -k /dev/shm | tail -1; id -G",
            ])
        #expect(result.status == 0, "\(result.stderr)\n\(daemon.daemon.log.suffix(2000))")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.stdout)")
        #expect(Array(lines.prefix(3)) == ["1024", "2048", "1"], "\(result.stdout)")
        #expect(
            lines.dropFirst(3).first?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "8192"
        )
        #expect(lines.last?.split(separator: " ").contains("1234") == true, "\(result.stdout)")
        let created = try cove(
            daemon,
            ["create", "--name", "stopper", "--stop-signal", "SIGINT", "--stop-timeout", "3", "busybox", "true"])
        #expect(created.status == 0, "\(created.stderr)")
        let inspect = try cove(daemon, ["inspect", "stopper"])
        #expect(
            inspect.stdout.contains("\"StopSignal\" : \"SIGINT\"")
                || inspect.stdout.contains("\"StopSignal\":\"SIGINT\""), "\(inspect.stdout)")
        let bad = try cove(daemon, ["run", "--rm", "--ulimit", "nofile=9:1", "busybox", "true"])
        #expect(bad.status != 0 && bad.stderr.contains("soft limit 9 is above hard limit 1"), "\(bad.stderr)")
        #expect(try cove(daemon, ["rm", "stopper"]).status == 0)

        #expect(try cove(daemon, ["run", "--name", "talker", "busybox", "echo", "said"]).status == 0)
        #expect(try cove(daemon, ["logs", "--since", "1h", "talker"]).stdout == "said\n")
        #expect(try cove(daemon, ["logs", "--until", "2000-01-01T00:00:00Z", "talker"]).stdout.isEmpty)
        let future = String(Int(Date().timeIntervalSince1970) + 3600)
        #expect(try cove(daemon, ["logs", "--since", future, "talker"]).stdout.isEmpty)
        #expect(try cove(daemon, ["rm", "talker"]).status == 0)
    }

    @Test func runExitsWithTheContainersCodeAndDockersCodesForFailures() throws {
        guard let daemon = try ContainerDaemon.start() else { return }
        defer { daemon.cleanUp() }
        let hello = try cove(
            daemon, ["run", "--rm", "-e", "WHO=cove", "busybox", "sh", "-c", "echo hi $WHO; echo oops >&2"])
        #expect(hello.status == 0, "\(hello.stderr)\n\(daemon.daemon.log)")
        #expect(hello.stdout == "hi cove\n")
        #expect(hello.stderr == "oops\n")
        for (command, code) in [(["sh", "-c", "exit 3"], Int32(3)), (["/no/such/program"], 127), (["/etc"], 126)] {
            let result = try cove(daemon, ["run", "--rm", "busybox"] + command)
            #expect(result.status == code, "\(command): \(result.stderr)\n\(daemon.daemon.log.suffix(3000))")
        }
        let unknown = try cove(daemon, ["run", "--rm", "nosuchimage", "true"])
        #expect(unknown.status == 125)
        #expect(unknown.stderr.contains("No such image: nosuchimage:latest"), "\(unknown.stderr)")
        let options = try cove(
            daemon,
            [
                "run", "--rm", "-w", "/tmp", "-u", "65534", "--read-only", "--memory", "64m", "--pids-limit", "50",
                "--cap-drop", "ALL", "--init", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c",
                "pwd; id -u; touch /x 2>/dev/null || echo read-only",
            ])
        #expect(options.status == 0, "\(options.stderr)")
        #expect(options.stdout == "/tmp\n65534\nread-only\n")
        let binary = try #require(DaemonProcess.binary)
        let interactive = try daemon.shell(
            "printf 'a\\nb\\n' | COVE_HOST=\(daemon.host) '\(binary)' container run -i --rm busybox sh -c 'wc -l; exit 4'"
        )
        #expect(interactive.status == 4, "\(interactive.stderr)")
        #expect(interactive.stdout == "2\n")
        let tty = try cove(daemon, ["run", "-t", "--rm", "busybox", "tty"])
        #expect(tty.stdout == "/dev/pts/0\r\n", "\(tty.stderr)")
        let bind = daemon.daemon.scratch + "/bind"
        try FileManager.default.createDirectory(atPath: bind, withIntermediateDirectories: true)
        try Data("from host\n".utf8).write(to: URL(fileURLWithPath: bind + "/file"))
        let mounted = try cove(daemon, ["run", "--rm", "-v", "\(bind):/data:ro", "busybox", "cat", "/data/file"])
        #expect(mounted.stdout == "from host\n", "\(mounted.stderr)")
        #expect(try daemon.run(["ps", "-aq"]).stdout.isEmpty)
    }

    @Test func lifecycleCommandsListStopInspectRenameAndRemove() throws {
        guard let daemon = try ContainerDaemon.start() else { return }
        defer { daemon.cleanUp() }
        let started = try cove(
            daemon, ["run", "-d", "--name", "sleeper", "--label", "tier=test", "busybox", "sleep", "60"])
        #expect(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cove(daemon, ["ls", "-q", "--filter", "label=tier=test"]).stdout == String(id.prefix(12)) + "\n")
        let json = try cove(daemon, ["ls", "--format", "json"])
        let row = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(row["Names"] as? String == "sleeper")
        #expect(row["State"] as? String == "running")
        let stats = try cove(daemon, ["stats", "--format", "json", "sleeper"])
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(figures["Name"] as? String == "sleeper", "\(stats.stdout)\(stats.stderr)")
        #expect(figures["PIDs"] as? String == "1")
        #expect((figures["MemUsage"] as? String)?.contains(" / ") == true)
        #expect(try cove(daemon, ["pause", "sleeper"]).status == 0)
        #expect(try daemon.run(["inspect", "-f", "{{.State.Status}}", "sleeper"]).stdout == "paused\n")
        #expect(try cove(daemon, ["unpause", "sleeper"]).status == 0)
        #expect(try cove(daemon, ["rm", "sleeper"]).status == 1)
        #expect(try cove(daemon, ["stop", "-t", "1", "sleeper"]).stdout == "sleeper\n")
        #expect(try cove(daemon, ["wait", "sleeper"]).stdout == "137\n")
        let inspected = try cove(daemon, ["inspect", "sleeper"])
        let objects = try #require(
            try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [[String: Any]])
        #expect(objects.first?["Id"] as? String == id)
        #expect((objects.first?["State"] as? [String: Any])?["ExitCode"] as? Int == 137)
        #expect(try cove(daemon, ["rename", "sleeper", "renamed"]).status == 0)
        #expect(
            try cove(daemon, ["ls", "-a", "-q", "--filter", "name=renamed"]).stdout == String(id.prefix(12)) + "\n")
        let logged = try cove(daemon, ["run", "-d", "--name", "talker", "busybox", "sh", "-c", "echo one; echo two"])
        #expect(logged.status == 0)
        #expect(try cove(daemon, ["wait", "talker"]).stdout == "0\n")
        #expect(try cove(daemon, ["logs", "-n", "1", "talker"]).stdout == "two\n")
        let pruned = try cove(daemon, ["prune", "-f"])
        #expect(pruned.stdout.contains(id))
        #expect(try cove(daemon, ["ls", "-a", "-q"]).stdout.isEmpty)
        #expect(daemon.mountsLeft.isEmpty, "\(daemon.mountsLeft)")
        #expect(daemon.cgroupsLeft.isEmpty, "\(daemon.cgroupsLeft)")
    }
}
