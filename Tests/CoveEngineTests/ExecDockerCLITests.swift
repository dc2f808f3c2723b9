import Foundation
import Testing

/// `docker exec`, docker-py's `exec_run` and `cove container exec` against `cove daemon`: output,
/// exit codes, -e/-w/-u, stdin, detached execs and their inspection, Docker's codes and errors.
/// Each test removes its containers even on failure (`ContainerDaemon.cleanUp`).
@Suite(.serialized, .timeLimit(.minutes(3))) struct ExecDockerCLITests {
    /// Starts `busybox sleep 600` as `name`.
    func sleeper(_ cove: ContainerDaemon, _ name: String) throws {
        let started = try cove.run(["run", "-d", "--name", name, "busybox", "sleep", "600"])
        #expect(started.status == 0, "\(started.stderr)\n\(cove.daemon.log)")
    }

    @Test func dockerExecPrintsExitsAndTakesOptionsAndInput() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let hi = try cove.run(["exec", "box", "echo", "hi"])
        #expect(hi.status == 0, "\(hi.stderr)\n\(cove.daemon.log)")
        #expect(hi.stdout == "hi\n")
        let five = try cove.run(["exec", "box", "sh", "-c", "echo out; echo err >&2; exit 5"])
        #expect(five.status == 5, "\(five.stderr)")
        #expect(five.stdout == "out\n")
        #expect(five.stderr == "err\n")
        let options = try cove.run([
            "exec", "-e", "X=1", "-w", "/tmp", "-u", "nobody", "box", "sh", "-c", "echo $X; pwd; id -u",
        ])
        #expect(options.stdout == "1\n/tmp\n65534\n", "\(options.stderr)")
        let piped = try cove.shell("printf 'a\\nb\\n' | docker exec -i box cat")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == "a\nb\n")
        let tty = try cove.run(["exec", "-t", "box", "tty"])
        #expect(tty.stdout.hasPrefix("/dev/pts/"), "\(tty.stdout) \(tty.stderr)")
        let missing = try cove.run(["exec", "box", "nosuchcommand"])
        #expect(missing.status == 127, "\(missing.stdout) \(missing.stderr)")
        #expect(
            missing.stdout.contains("exec: \"nosuchcommand\": executable file not found in $PATH"), "\(missing.stdout)")
        let notExecutable = try cove.run(["exec", "box", "/etc/passwd"])
        #expect(notExecutable.status == 126, "\(notExecutable.stdout) \(notExecutable.stderr)")
        // The execs' state directories are gone once they ended and their results were read.
        let id = try cove.run(["inspect", "-f", "{{.Id}}", "box"]).stdout.prefix(12)
        var left: [String] = []
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            left = ((try? FileManager.default.contentsOfDirectory(atPath: "\(cove.daemon.root)/run/\(id)")) ?? [])
                .filter { $0.hasPrefix("x") }
            if left.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while ContinuousClock.now < deadline
        #expect(left.isEmpty, "\(left)")

        #expect(try cove.run(["pause", "box"]).status == 0)
        let paused = try cove.run(["exec", "box", "true"])
        #expect(paused.status != 0)
        #expect(paused.stderr.contains("is paused, unpause the container before exec"), "\(paused.stderr)")
        #expect(try cove.run(["unpause", "box"]).status == 0)
        #expect(try cove.run(["kill", "box"]).status == 0)
        _ = try cove.run(["wait", "box"])
        let stopped = try cove.run(["exec", "box", "true"])
        #expect(stopped.status != 0)
        #expect(stopped.stderr.contains("is not running"), "\(stopped.stderr)")
        let unknown = try cove.run(["exec", "nosuchcontainer", "true"])
        #expect(unknown.stderr.contains("No such container: nosuchcontainer"), "\(unknown.stderr)")
    }

    @Test(.dockerSDK)
    func dockerPyExecRunAndDetachedExecInspect() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let script = """
            import docker, time
            c = docker.DockerClient(base_url='\(cove.host)')
            box = c.containers.get('box')
            print(box.exec_run('echo hi'))
            print(box.exec_run(['sh', '-c', 'exit 3']).exit_code)
            e = c.api.exec_create('box', ['sleep', '1'], user='nobody')
            c.api.exec_start(e['Id'], detach=True)
            i = c.api.exec_inspect(e['Id'])
            print(i['Running'], i['ExitCode'], i['Pid'] > 0, i['ContainerID'] == box.id)
            print(i['ProcessConfig']['entrypoint'], i['ProcessConfig']['arguments'], i['ProcessConfig']['user'])
            for _ in range(100):
                i = c.api.exec_inspect(e['Id'])
                if not i['Running']:
                    break
                time.sleep(0.1)
            print(i['Running'], i['ExitCode'])
            t = c.api.exec_create('box', ['sh', '-c', 'sleep 1; stty size'], tty=True)
            sock = c.api.exec_start(t['Id'], tty=True, socket=True)
            c.api.exec_resize(t['Id'], height=31, width=101)
            out = b''
            s = getattr(sock, '_sock', sock)
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                out += chunk
            print(out.decode().strip())
            z = c.api.exec_create('box', ['stty', 'size'], tty=True)
            res = c.api._post_json(
                c.api._url('/exec/{0}/start', z['Id']), headers={'Connection': 'Upgrade', 'Upgrade': 'tcp'},
                data={'Detach': False, 'Tty': True, 'ConsoleSize': [33, 99]}, stream=True)
            print(c.api._read_from_socket(res, False, tty=True).decode().strip())
            try:
                c.api.exec_inspect('nosuchexec')
            except docker.errors.NotFound as error:
                print('404', 'No such exec instance' in str(error))
            """
        let result = try ExternalCommand.python(script)
        #expect(result.status == 0, "\(result.stderr)\n\(cove.daemon.log)")
        #expect(
            result.stdout
                == "ExecResult(exit_code=0, output=b'hi\\n')\n3\nTrue None True True\nsleep ['1'] nobody\nFalse 0\n31 101\n33 99\n404 True\n"
        )
    }

    @Test func coveContainerExec() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let binary = try #require(DaemonProcess.binary)
        func exec(_ arguments: [String], input: String? = nil) throws -> ExternalCommand.Result {
            let environment: [String: String?] = [
                "COVE_HOST": cove.host, "COVE_ROOT": cove.daemon.root, "DOCKER_HOST": nil,
            ]
            guard let input else {
                return try ExternalCommand.run(binary, ["container", "exec"] + arguments, environment: environment)
            }
            let line =
                "printf '\(input)' | '\(binary)' container exec " + arguments.map { "'\($0)'" }.joined(separator: " ")
            return try ExternalCommand.run("/bin/sh", ["-c", line], environment: environment)
        }
        let hi = try exec(["box", "echo", "hi"])
        #expect(hi.status == 0, "\(hi.stderr)\n\(cove.daemon.log)")
        #expect(hi.stdout == "hi\n")
        #expect(try exec(["box", "sh", "-c", "exit 5"]).status == 5)
        let options = try exec(["-e", "X=1", "-w", "/tmp", "-u", "nobody", "box", "sh", "-c", "echo $X; pwd; id -u"])
        #expect(options.stdout == "1\n/tmp\n65534\n", "\(options.stderr)")
        let piped = try exec(["-i", "box", "cat"], input: "a\\nb\\n")
        #expect(piped.stdout == "a\nb\n", "\(piped.stderr)")
        #expect(try exec(["-t", "box", "tty"]).stdout.hasPrefix("/dev/pts/"))
        #expect(try exec(["box", "nosuchcommand"]).status == 127)
        #expect(try exec(["box", "/etc/passwd"]).status == 126)
        let detached = try exec(["-d", "box", "sh", "-c", "echo done > /tmp/marker"])
        #expect(detached.status == 0 && detached.stdout.isEmpty, "\(detached.stderr)")
        var marker = ""
        for _ in 0..<50 where marker.isEmpty {
            marker = try exec(["box", "sh", "-c", "cat /tmp/marker 2>/dev/null || true"]).stdout
            if marker.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(marker == "done\n")
        let detachedMissing = try exec(["-d", "box", "nosuchcommand"])
        #expect(detachedMissing.status == 127, "\(detachedMissing.stderr)")
        #expect(detachedMissing.stderr.contains("executable file not found in $PATH"), "\(detachedMissing.stderr)")
        let dockerDetached = try cove.run(["exec", "-d", "box", "nosuchcommand"])
        #expect(dockerDetached.status != 0)
        #expect(dockerDetached.stderr.contains("executable file not found in $PATH"), "\(dockerDetached.stderr)")
        #expect(try cove.run(["stop", "-t", "1", "box"]).status == 0)
        let stopped = try exec(["box", "true"])
        #expect(stopped.status == 125)
        #expect(stopped.stderr.contains("is not running"), "\(stopped.stderr)")
    }
}
