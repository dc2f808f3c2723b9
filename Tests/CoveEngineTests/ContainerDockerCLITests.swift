import Foundation
import Testing

/// The docker CLI runs busybox containers on `cove daemon`: foreground and detached runs, exit
/// codes, ps, logs, stop, rm, inspect, wait, rmi refused while a container uses the image, and
/// Docker's errors. Each test removes its containers, mounts and cgroups, even on failure.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ContainerDockerCLITests {
    @Test func runsInTheForegroundWithTheContainersExitCode() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let hello = try cove.run(["run", "--rm", "busybox", "echo", "hello"])
        #expect(hello.status == 0, "\(hello.stderr)\n\(cove.daemon.log)")
        #expect(hello.stdout == "hello\n")
        let three = try cove.run(["run", "--name", "three", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(three.status == 3, "\(three.stderr)")
        #expect(three.stdout == "out\n")
        #expect(three.stderr == "err\n")
        let piped = try cove.shell("printf 'a\\nb\\n' | docker run -i --rm busybox wc -l")
        #expect(piped.stdout.trimmingCharacters(in: .whitespaces) == "2\n", "\(piped.stderr)")
        let all = try cove.run(["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
        #expect(all.stdout.hasPrefix("three Exited (3)"), "\(all.stdout)")
        #expect(!all.stdout.contains("hello"))
        let removed = try cove.run(["rm", "three"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(cove.mountsLeft.isEmpty, "\(cove.mountsLeft)")
        #expect(cove.cgroupsLeft.isEmpty, "\(cove.cgroupsLeft)")
    }

    @Test func detachedContainerIsListedLoggedStoppedInspectedAndRemoved() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let script = "trap 'echo bye; exit 7' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"
        let started = try cove.run([
            "run", "-d", "--name", "ticker", "--label", "app=clock", "busybox", "sh", "-c", script,
        ])
        #expect(started.status == 0, "\(started.stderr)\n\(cove.daemon.log)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 64)
        let listed = try cove.run(["ps", "--filter", "label=app=clock", "--format", "{{.ID}} {{.Names}} {{.State}}"])
        #expect(listed.stdout == "\(id.prefix(12)) ticker running\n", "\(listed.stderr)")
        let none = try cove.run(["ps", "-q", "--filter", "label=app=other"])
        #expect(none.stdout.isEmpty)
        let followed = try cove.shell("timeout 5 docker logs -f ticker | head -n 3")
        #expect(followed.stdout == "tick 0\ntick 1\ntick 2\n", "\(followed.stderr)")
        let inspectRunning = try cove.run(["inspect", "-f", "{{.State.Status}} {{.State.Running}} {{.Name}}", "ticker"])
        #expect(inspectRunning.stdout == "running true /ticker\n")
        let pid = try cove.run(["inspect", "-f", "{{.State.Pid}}", "ticker"])
        #expect((Int(pid.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 1)

        let refused = try cove.run(["rmi", "busybox"])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains(
                "conflict: unable to remove repository reference \"busybox\" (must force) - container \(id.prefix(12)) is using its referenced image"
            ), "\(refused.stderr)")
        let runningRemove = try cove.run(["rm", "ticker"])
        #expect(runningRemove.status != 0)
        #expect(runningRemove.stderr.contains("stop the container before removing or force remove"))

        let stopped = try cove.run(["stop", "ticker"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let inspected = try cove.run(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}", id])
        #expect(inspected.stdout == "exited 7 false\n")
        let waited = try cove.run(["wait", "ticker"])
        #expect(waited.stdout == "7\n")
        let tail = try cove.run(["logs", "--tail", "1", "ticker"])
        #expect(tail.stdout == "bye\n")
        let removed = try cove.run(["rm", "ticker"])
        #expect(removed.status == 0, "\(removed.stderr)")
        let gone = try cove.run(["inspect", "ticker"])
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("No such container: ticker") || gone.stderr.contains("No such object: ticker"))
        #expect(try cove.run(["rmi", "busybox"]).status == 0)
        #expect(cove.mountsLeft.isEmpty, "\(cove.mountsLeft)")
        #expect(cove.cgroupsLeft.isEmpty, "\(cove.cgroupsLeft)")
    }

    @Test func restartsPausesAndRunsWithATerminal() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let tty = try cove.run(["run", "--rm", "-t", "busybox", "tty"])
        #expect(tty.status == 0, "\(tty.stderr)")
        #expect(tty.stdout == "/dev/pts/0\r\n")
        let counter = try cove.run(["run", "-d", "--name", "counter", "busybox", "sh", "-c", "echo start; sleep 60"])
        #expect(counter.status == 0, "\(counter.stderr)")
        #expect(try cove.run(["pause", "counter"]).status == 0)
        #expect(
            try cove.run(["inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "counter"]).stdout == "paused true\n")
        #expect(try cove.run(["unpause", "counter"]).status == 0)
        let firstPid = try cove.run(["inspect", "-f", "{{.State.Pid}}", "counter"]).stdout
        let restarted = try cove.run(["restart", "-t", "1", "counter"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        let after = try cove.run(["inspect", "-f", "{{.State.Status}} {{.State.Pid}}", "counter"]).stdout
        #expect(after.hasPrefix("running "))
        #expect(after != "running " + firstPid)
        #expect(try cove.run(["logs", "counter"]).stdout == "start\nstart\n")
        // POST /containers/counter/wait?condition=next-exit, answered when the container next exits.
        let waiter = cove.daemon.scratch + "/wait.py"
        try Data(
            """
            import re, socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            s.sendall(b"POST /containers/counter/wait?condition=next-exit HTTP/1.1\\r\\nHost: d\\r\\nContent-Length: 0\\r\\n\\r\\n")
            data = b""
            while b"}" not in data:
                data += s.recv(4096)
            print(re.search(rb"[{].*[}]", data).group().decode())
            """.utf8
        ).write(to: URL(fileURLWithPath: waiter))
        let next = try cove.shell(
            "python3 '\(waiter)' '\(cove.daemon.socket)' & sleep 0.5; docker kill counter >/dev/null; wait")
        #expect(next.stdout == "{\"StatusCode\":137}\n", "\(next.stderr)")
        #expect(try cove.run(["rm", "counter"]).status == 0)
        #expect(cove.cgroupsLeft.isEmpty, "\(cove.cgroupsLeft)")
    }

    @Test func aForcedImageRemovalKeepsWhatAContainerUses() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let created = try cove.run(["create", "--name", "keeper", "busybox", "cat", "/etc/passwd"])
        #expect(created.status == 0, "\(created.stderr)")
        let forced = try cove.run(["rmi", "-f", "busybox"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout == "Untagged: busybox:latest\n")
        #expect(try cove.run(["image", "prune", "-a", "-f"]).stdout == "Total reclaimed space: 0B\n")
        let started = try cove.run(["start", "-a", "keeper"])
        #expect(started.status == 0, "\(started.stderr)\n\(cove.daemon.log)")
        #expect(started.stdout.hasPrefix("root:x:0:0"))
        #expect(try cove.run(["rm", "keeper"]).status == 0)
        let pruned = try cove.run(["image", "prune", "-a", "-f"])
        #expect(pruned.stdout.contains("deleted: sha256:"), "\(pruned.stdout)")
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: cove.daemon.root + "/snapshots")
        #expect(snapshots.filter { $0.count == 64 }.isEmpty, "\(snapshots)")
    }

    @Test func statsShowTheCgroupsFigures() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let busy = try cove.run([
            "run", "-d", "--name", "busy", "-m", "64m", "busybox", "sh", "-c", "while :; do :; done",
        ])
        #expect(busy.status == 0, "\(busy.stderr)")
        let stats = try cove.run([
            "stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}", "busy",
        ])
        #expect(stats.status == 0, "\(stats.stderr)")
        let fields = stats.stdout.split(separator: " ")
        #expect(fields.first == "busy", "\(stats.stdout)")
        let cpu = Double(fields.dropFirst().first?.dropLast() ?? "") ?? 0
        #expect(cpu > 10, "\(stats.stdout)")
        #expect(stats.stdout.contains("/ 64MiB"), "\(stats.stdout)")
        #expect(fields.last == "1\n")
        #expect(try cove.run(["rm", "-f", "busy"]).status == 0)
    }

    @Test func badInputGetsDockersMessagesAndExitCodes() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let noCommand = try cove.run(["run", "busybox"])
        #expect(noCommand.status == 125)
        #expect(noCommand.stderr.contains("no command specified"), "\(noCommand.stderr)")
        let notFound = try cove.run(["run", "--rm", "busybox", "/no/such/program"])
        #expect(notFound.status == 127, "\(notFound.stderr)")
        let notExecutable = try cove.run(["run", "--rm", "busybox", "/etc"])
        #expect(notExecutable.status == 126, "\(notExecutable.stderr)")
        let first = try cove.run(["create", "--name", "taken", "busybox", "true"])
        #expect(first.status == 0)
        let id = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let taken = try cove.run(["create", "--name", "taken", "busybox", "true"])
        #expect(taken.status == 1)
        #expect(
            taken.stderr.contains(
                "Conflict. The container name \"/taken\" is already in use by container \"\(id)\". "
                    + "You have to remove (or rename) that container to be able to reuse that name."), "\(taken.stderr)"
        )
        let sleeper = try cove.run(["run", "-d", "busybox", "sleep", "30"])
        let sleeperID = sleeper.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let badSignal = try cove.run(["kill", "-s", "NOSUCH", sleeperID])
        #expect(badSignal.status != 0)
        #expect(badSignal.stderr.contains("Invalid signal: NOSUCH"), "\(badSignal.stderr)")
        let killed = try cove.run(["kill", "-s", "9", sleeperID])
        #expect(killed.status == 0, "\(killed.stderr)")
        #expect(try cove.run(["wait", sleeperID]).stdout == "137\n")
        let unknown = try cove.run(["create", "--pull", "never", "nosuchimage"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No such image: nosuchimage:latest"), "\(unknown.stderr)")
        let noContainer = try cove.run(["start", "nosuchcontainer"])
        #expect(noContainer.stderr.contains("No such container: nosuchcontainer"))
    }
}
