import Foundation
import Testing

/// Restart policies, healthchecks and `/events` against a real daemon, driven by the docker CLI
/// and docker-py (root).
@Suite(.serialized, .timeLimit(.minutes(4))) struct ContainerLifecycleTests {
    /// Waits (polling) until `condition` holds; false after `seconds`.
    static func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }

    static func unixNow() -> String { String(format: "%.9f", Date().timeIntervalSince1970) }

    func inspect(_ cove: ContainerDaemon, _ format: String, _ name: String) throws -> String {
        try cove.run(["inspect", "-f", format, name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The state and restart count of containers, for failure messages.
    func describe(_ cove: ContainerDaemon, _ names: [String]) -> String {
        ((try? cove.run(["inspect", "-f", "{{.Name}} {{json .State}} {{.RestartCount}}"] + names))?.stdout) ?? ""
    }

    @Test func onFailureStopsAfterItsMaximumAndEventsTellEachRun() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let since = Self.unixNow()
        let run = try cove.run(["run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "false"])
        #expect(run.status == 0, "\(run.stderr)")
        let done = try Self.eventually {
            try inspect(cove, "{{.State.Status}} {{.RestartCount}}", "flaky") == "exited 2"
        }
        #expect(done, "\(describe(cove, ["flaky"]))\n\(cove.daemon.log)")
        #expect(try inspect(cove, "{{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}}", "flaky") == "1 on-failure")
        #expect(try cove.run(["create", "--name", "plain", "busybox", "true"]).status == 0)
        #expect(try inspect(cove, "{{.HostConfig.RestartPolicy.Name}}", "plain") == "no")
        let until = Self.unixNow()
        let events = try cove.run([
            "events", "--since", since, "--until", until, "--filter", "container=flaky", "--format", "{{.Action}}",
        ])
        #expect(events.status == 0, "\(events.stderr)")
        let lines = events.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "create", "\(lines)")
        #expect(lines.filter { $0 == "start" }.count == 3, "\(lines)")
        #expect(lines.filter { $0 == "die" }.count == 3, "\(lines)")
        let codes = try cove.run([
            "events", "--since", since, "--until", until, "--filter", "container=flaky", "--filter", "event=die",
            "--format", "{{.Actor.Attributes.exitCode}}",
        ])
        #expect(codes.stdout == "1\n1\n1\n", "\(codes.stdout)\(codes.stderr)")
        // cove system events prints what docker events prints.
        let binary = try #require(DaemonProcess.binary)
        let bounds = ["--since", since, "--until", until, "--filter", "container=flaky"]
        let coveEvents = try ExternalCommand.run(
            binary, ["system", "events"] + bounds,
            environment: ["COVE_HOST": cove.host, "COVE_ROOT": cove.daemon.root, "DOCKER_HOST": nil])
        #expect(coveEvents.status == 0, "\(coveEvents.stderr)")
        let dockerEvents = try cove.run(["events"] + bounds)
        #expect(
            coveEvents.stdout == dockerEvents.stdout && dockerEvents.stdout.contains(" container die "),
            "cove:\n\(coveEvents.stdout)docker (\(dockerEvents.status)):\n\(dockerEvents.stdout)\(dockerEvents.stderr)")
        let imagesSince = Self.unixNow()
        #expect(try cove.run(["tag", "busybox", "busybox:two"]).status == 0)
        #expect(try cove.run(["rmi", "busybox:two"]).status == 0)
        let images = try cove.run([
            "events", "--since", imagesSince, "--until", Self.unixNow(), "--filter", "type=image", "--format",
            "{{.Action}}",
        ])
        #expect(images.stdout == "tag\nuntag\n", "\(images.stdout)\(images.stderr)")
        let refused = try cove.run(["run", "-d", "--rm", "--restart", "always", "busybox", "true"])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("--restart and --rm")
                || refused.stderr.contains("'AutoRemove' container with restart"),
            "\(refused.stderr)")
    }

    @Test func alwaysComesBackAfterAKillAndAfterTheDaemonDies() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        for (name, policy) in [("steady", "always"), ("stopped", "always"), ("resting", "unless-stopped")] {
            let run = try cove.run(["run", "-d", "--name", name, "--restart", policy, "busybox", "sleep", "300"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let pid = try #require(Int32(try inspect(cove, "{{.State.Pid}}", "steady")))
        kill(pid, SIGKILL)
        let back = try Self.eventually {
            let state = try inspect(cove, "{{.State.Status}} {{.RestartCount}} {{.State.Pid}}", "steady")
            return state.hasPrefix("running 1 ") && state != "running 1 \(pid)"
        }
        #expect(back, "\(describe(cove, ["steady"]))\n\(cove.daemon.log)")
        for name in ["stopped", "resting"] {
            #expect(try cove.run(["stop", "-t", "1", name]).status == 0)
        }
        // A stop through the API is the user's: no restart follows.
        Thread.sleep(forTimeInterval: 1)
        #expect(try inspect(cove, "{{.State.Status}}", "stopped") == "exited")
        let stopEvents = try cove.run([
            "events", "--since", "1", "--until", Self.unixNow(), "--filter", "container=resting", "--format",
            "{{.Action}}{{if .Actor.Attributes.signal}} {{.Actor.Attributes.signal}}{{end}}",
        ])
        // busybox's sleep as pid 1 ignores SIGTERM: SIGKILL follows after the grace period.
        #expect(stopEvents.stdout == "create\nstart\nkill 15\nkill 9\ndie\nstop\n", "\(stopEvents.stdout)")

        let steadyPid = try #require(Int32(try inspect(cove, "{{.State.Pid}}", "steady")))
        try cove.restartAfterKill(downFor: 0.5) { kill(steadyPid, SIGKILL) }
        let restored = try Self.eventually {
            try inspect(cove, "{{.State.Status}}", "steady") == "running"
                && inspect(cove, "{{.State.Status}}", "stopped") == "running"
        }
        #expect(restored, "\(describe(cove, ["steady", "stopped", "resting"]))\n\(cove.daemon.log)")
        #expect(try inspect(cove, "{{.State.Pid}}", "steady") != String(steadyPid))
        #expect(try inspect(cove, "{{.State.Status}}", "resting") == "exited")
    }

    @Test func healthchecksReachHealthyAndUnhealthyAndResumeAfterADaemonRestart() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let since = Self.unixNow()
        let checks = [
            ("good", ["--health-cmd", "echo fine", "--health-interval", "200ms"]),
            ("bad", ["--health-cmd", "echo broken; exit 1", "--health-interval", "200ms", "--health-retries", "2"]),
            (
                "slow",
                [
                    "--health-cmd", "sleep 5", "--health-interval", "200ms", "--health-timeout", "300ms",
                    "--health-retries", "1",
                ]
            ),
        ]
        for (name, flags) in checks {
            let run = try cove.run(["run", "-d", "--name", name] + flags + ["busybox", "sleep", "300"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let reached = try Self.eventually {
            try inspect(cove, "{{.State.Health.Status}}", "good") == "healthy"
                && inspect(cove, "{{.State.Health.Status}}", "bad") == "unhealthy"
                && inspect(cove, "{{.State.Health.Status}}", "slow") == "unhealthy"
        }
        #expect(reached, "\(describe(cove, ["good", "bad", "slow"]))\n\(cove.daemon.log)")
        let good = try inspect(
            cove, "{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}", "good")
        #expect(good == "0 fine")
        #expect(try inspect(cove, "{{(index .State.Health.Log 0).Output}}", "bad") == "broken")
        #expect(try inspect(cove, "{{.State.Health.FailingStreak}}", "bad") >= "2")
        let slow = try inspect(
            cove, "{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}", "slow")
        #expect(slow == "-1 Health check exceeded timeout (300ms)")
        let listed = try cove.run(["ps", "--filter", "name=good", "--format", "{{.Status}}"]).stdout
        #expect(listed.hasSuffix("(healthy)\n"), "\(listed)")
        let unhealthy = try cove.run(["ps", "--filter", "health=unhealthy", "--format", "{{.Names}}"]).stdout
        #expect(unhealthy.split(separator: "\n").sorted() == ["bad", "slow"], "\(unhealthy)")

        let events = try cove.run([
            "events", "--since", since, "--until", Self.unixNow(), "--filter", "event=health_status", "--format",
            "{{.Actor.Attributes.name}} {{.Action}}",
        ])
        #expect(events.stdout.contains("good health_status: healthy\n"), "\(events.stdout)")
        #expect(events.stdout.contains("bad health_status: unhealthy\n"), "\(events.stdout)")

        let lastProbe = try inspect(cove, "{{(index .State.Health.Log 4).End}}", "good")
        try cove.restartAfterKill()
        #expect(try inspect(cove, "{{.State.Health.Status}}", "good") == "healthy")
        let resumed = try Self.eventually {
            let now = try inspect(cove, "{{(index .State.Health.Log 4).End}}", "good")
            return !now.isEmpty && now != lastProbe && !now.contains("error")
        }
        #expect(resumed, "\(cove.daemon.log)")
        #expect(try cove.run(["stop", "-t", "1", "good"]).status == 0)
        #expect(try inspect(cove, "{{.State.Health.Status}}", "good") == "unhealthy")
        // A probe in flight (slow's outlives its timeout) does not get in the way of a removal.
        let removed = try cove.run(["rm", "-f", "slow", "bad", "good"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(cove.mountsLeft.isEmpty, "\(cove.mountsLeft)")
    }

    @Test func coveContainerRunTakesTheRestartAndHealthFlags() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let binary = try #require(DaemonProcess.binary)
        func coveRun(_ arguments: [String]) throws -> ExternalCommand.Result {
            try ExternalCommand.run(
                binary, ["container", "run"] + arguments,
                environment: ["COVE_HOST": cove.host, "COVE_ROOT": cove.daemon.root, "DOCKER_HOST": nil])
        }
        let run = try coveRun([
            "-d", "--name", "flagged", "--restart", "on-failure:4", "--health-cmd", "true", "--health-interval",
            "100ms", "--health-retries", "2", "--health-start-period", "1s", "busybox", "sleep", "300",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let format =
            "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} "
            + "{{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}} "
            + "{{.Config.Healthcheck.StartPeriod}}"
        #expect(try inspect(cove, format, "flagged") == #"on-failure:4 ["CMD-SHELL","true"] 100ms 2 1s"#)
        #expect(try Self.eventually { try inspect(cove, "{{.State.Health.Status}}", "flagged") == "healthy" })
        let conflict = try coveRun(["--rm", "--restart", "always", "busybox", "true"])
        #expect(conflict.status != 0 && conflict.stderr.contains("Conflicting options: --restart and --rm"))
        let unknown = try coveRun(["-d", "--restart", "sometimes", "busybox", "true"])
        #expect(
            unknown.status == 125 && unknown.stderr.contains("unknown policy 'sometimes'"),
            "\(unknown.status) \(unknown.stderr)")
        let none = try coveRun(["-d", "--name", "unchecked", "--no-healthcheck", "busybox", "sleep", "300"])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(
            try inspect(cove, "{{json .Config.Healthcheck.Test}} {{json .State.Health}}", "unchecked")
                == #"["NONE"] null"#)
        #expect(try cove.run(["exec", "unchecked", "sh", "-c", "exit 3"]).status == 3)
        let execEvents = try cove.run([
            "events", "--since", "1", "--until", Self.unixNow(), "--filter", "container=unchecked", "--format",
            "{{.Action}}{{if .Actor.Attributes.exitCode}} {{.Actor.Attributes.exitCode}}{{end}}",
        ])
        #expect(
            execEvents.stdout.hasSuffix("exec_create: sh -c exit 3\nexec_start: sh -c exit 3\nexec_die 3\n"),
            "\(execEvents.stdout)")
    }

    @Test(.dockerSDK)
    func dockerPyStreamsEventsAsTheyHappen() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let script = """
            import docker, time
            c = docker.DockerClient(base_url='\(cove.host)')
            stream = c.api.events(decode=True, filters={'type': 'container', 'container': 'evented'})
            c.containers.run('busybox', 'true', name='evented', detach=True)
            seen = []
            for event in stream:
                seen.append(event['Action'])
                if event['Action'] == 'die':
                    print(event['Actor']['Attributes']['exitCode'], event['id'] == event['Actor']['ID'], event['from'])
                    break
            stream.close()
            print(' '.join(seen))
            """
        let result = try ExternalCommand.python(script, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)\n\(cove.daemon.log)")
        #expect(result.stdout == "0 True busybox\ncreate start die\n", "\(result.stdout)")
    }
}
