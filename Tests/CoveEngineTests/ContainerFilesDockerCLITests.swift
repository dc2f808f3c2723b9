import Foundation
import Testing

/// The docker CLI's top, diff, export, cp, commit and update against `cove daemon`, with busybox
/// containers. Each test removes what it made, even on failure (`ContainerDaemon.cleanUp`).
@Suite(.serialized, .timeLimit(.minutes(3))) struct ContainerFilesDockerCLITests {
    func sleeper(_ cove: ContainerDaemon, _ name: String) throws {
        let started = try cove.run(["run", "-d", "--name", name, "busybox", "sleep", "600"])
        #expect(started.status == 0, "\(started.stderr)\n\(cove.daemon.log)")
    }

    /// A scratch directory on the host, removed at the end of the test.
    final class HostDirectory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cove-cp-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func topDiffAndExportSeeTheContainersProcessesAndFiles() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let top = try cove.run(["top", "box"])
        #expect(top.status == 0, "\(top.stderr)\n\(cove.daemon.log)")
        let lines = top.stdout.split(separator: "\n")
        #expect(
            lines.first?.split(separator: " ").map(String.init) == [
                "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD",
            ])
        #expect(lines.count == 2 && lines.last?.hasSuffix("sleep 600") == true, "\(top.stdout)")
        let custom = try cove.run(["top", "box", "-o", "pid,comm"])
        #expect(custom.stdout.hasPrefix("PID") && custom.stdout.contains("sleep"), "\(custom.stdout)\(custom.stderr)")

        let fresh = try cove.run(["diff", "box"])
        #expect(fresh.status == 0 && fresh.stdout.isEmpty, "a new container changed nothing: \(fresh.stdout)")
        let changed = try cove.run([
            "exec", "box", "sh", "-c",
            "mkdir /data && echo hi > /data/new.txt && echo x >> /etc/passwd && rm /etc/group",
        ])
        #expect(changed.status == 0, "\(changed.stderr)")
        let diff = try cove.run(["diff", "box"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let entries = Set(diff.stdout.split(separator: "\n").map(String.init))
        for expected in ["A /data", "A /data/new.txt", "C /etc", "C /etc/passwd", "D /etc/group"] {
            #expect(entries.contains(expected), "\(diff.stdout)")
        }
        #expect(!entries.contains { $0.contains("/bin/") }, "\(diff.stdout)")

        let exported = try cove.shell("docker export box | tar -tf - | sort")
        #expect(exported.status == 0, "\(exported.stderr)")
        let names = Set(exported.stdout.split(separator: "\n").map { String($0).trimmingCharacters(in: ["/"]) })
        #expect(names.isSuperset(of: ["bin/busybox", "data/new.txt", "etc/passwd"]), "\(exported.stdout.prefix(500))")
        #expect(!names.contains("etc/group"))
        let scratch = try HostDirectory()
        let toFile = try cove.run(["export", "-o", scratch.path + "/box.tar", "box"])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let listed = try ExternalCommand.run("/bin/tar", ["-xOf", scratch.path + "/box.tar", "data/new.txt"])
        #expect(listed.stdout == "hi\n", "\(listed.stderr)")

        #expect(try cove.run(["stop", "-t", "1", "box"]).status == 0)
        let stopped = try cove.run(["top", "box"])
        #expect(stopped.status != 0 && stopped.stderr.contains("is not running"), "\(stopped.stderr)")
        let diffStopped = try cove.run(["diff", "box"])
        #expect(diffStopped.stdout == diff.stdout)
        let missing = try cove.run(["diff", "nosuch"])
        #expect(missing.status != 0 && missing.stderr.contains("No such container: nosuch"), "\(missing.stderr)")
    }

    @Test func cpCopiesBothWaysOnRunningAndStoppedContainers() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let host = try HostDirectory()
        try FileManager.default.createDirectory(atPath: host.path + "/tree/sub", withIntermediateDirectories: true)
        try Data("from host\n".utf8).write(to: URL(fileURLWithPath: host.path + "/tree/hello.txt"))
        try Data("deep\n".utf8).write(to: URL(fileURLWithPath: host.path + "/tree/sub/deep.txt"))

        let file = try cove.run(["cp", host.path + "/tree/hello.txt", "box:/tmp/"])
        #expect(file.status == 0, "\(file.stderr)\n\(cove.daemon.log)")
        #expect(try cove.run(["exec", "box", "cat", "/tmp/hello.txt"]).stdout == "from host\n")
        let owner = try cove.run(["exec", "box", "stat", "-c", "%u:%g", "/tmp/hello.txt"])
        #expect(owner.stdout == "0:0\n")
        let tree = try cove.run(["cp", host.path + "/tree", "box:/srv"])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(try cove.run(["exec", "box", "cat", "/srv/sub/deep.txt"]).stdout == "deep\n")
        let piped = try cove.shell("tar -C '\(host.path)/tree' -cf - hello.txt | docker cp - box:/var")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try cove.run(["exec", "box", "cat", "/var/hello.txt"]).stdout == "from host\n")

        let out = host.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let passwd = try cove.run(["cp", "box:/etc/passwd", out + "/"])
        #expect(passwd.status == 0, "\(passwd.stderr)")
        #expect(
            try String(contentsOfFile: out + "/passwd", encoding: .utf8).hasPrefix("root:x:0:0:root:/root:/bin/sh\n"))
        let directory = try cove.run(["cp", "box:/srv", out + "/copied"])
        #expect(directory.status == 0, "\(directory.stderr)")
        #expect(try String(contentsOfFile: out + "/copied/sub/deep.txt", encoding: .utf8) == "deep\n")
        let tar = try cove.shell("docker cp box:/etc/passwd - | tar -tf -")
        #expect(tar.stdout == "passwd\n", "\(tar.stderr)")
        let missing = try cove.run(["cp", "box:/nope", out])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("Could not find the file /nope in container box"), "\(missing.stderr)")

        #expect(try cove.run(["stop", "-t", "1", "box"]).status == 0)
        let fromStopped = try cove.run(["cp", "box:/tmp/hello.txt", out + "/again.txt"])
        #expect(fromStopped.status == 0, "\(fromStopped.stderr)")
        #expect(try String(contentsOfFile: out + "/again.txt", encoding: .utf8) == "from host\n")
        let intoStopped = try cove.run(["cp", host.path + "/tree/hello.txt", "box:/root/late.txt"])
        #expect(intoStopped.status == 0, "\(intoStopped.stderr)")
        #expect(try cove.run(["start", "box"]).status == 0)
        #expect(try cove.run(["exec", "box", "cat", "/root/late.txt"]).stdout == "from host\n")
    }

    @Test func cpIntoAContainerSymlinkToAHostDirectoryStaysInTheContainer() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let host = try HostDirectory()
        let victim = host.path + "/victim"
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: host.path + "/payload"))
        // Inside the container, /tmp/hostlink names the host directory by its host path, and
        // /escape points at the host's /etc.
        let linked = try cove.run([
            "exec", "box", "sh", "-c", "mkdir -p '\(victim)' && ln -s '\(victim)' /tmp/hostlink && ln -s /etc /escape",
        ])
        #expect(linked.status == 0, "\(linked.stderr)")
        let copied = try cove.run(["cp", host.path + "/payload", "box:/tmp/hostlink/"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim).isEmpty)
        #expect(try cove.run(["exec", "box", "cat", victim + "/payload"]).stdout == "x\n")
        let name = "cove-cp-\(UUID().uuidString.prefix(8))"
        let through = try cove.run(["cp", host.path + "/payload", "box:/escape/\(name)"])
        #expect(through.status == 0, "\(through.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/etc/\(name)"))
        #expect(try cove.run(["exec", "box", "cat", "/etc/\(name)"]).stdout == "x\n")
    }

    @Test func commitMakesAnImageThatRunsWithTheContainersFiles() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let made = try cove.run([
            "run", "--name", "maker", "-e", "FROM_MAKER=1", "busybox", "sh", "-c",
            "echo committed > /greeting && rm /etc/group",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let commit = try cove.run([
            "commit", "-c", "CMD [\"cat\", \"/greeting\"]", "-m", "a message", "-a", "tester", "maker", "made:v1",
        ])
        #expect(commit.status == 0, "\(commit.stderr)\n\(cove.daemon.log)")
        #expect(commit.stdout.hasPrefix("sha256:") && commit.stdout.count == 72, "\(commit.stdout)")
        let run = try cove.run(["run", "--rm", "made:v1"])
        #expect(run.stdout == "committed\n", "\(run.stderr)")
        let gone = try cove.run(["run", "--rm", "made:v1", "ls", "/etc/group"])
        #expect(gone.status != 0)
        let env = try cove.run(["run", "--rm", "made:v1", "sh", "-c", "echo $FROM_MAKER"])
        #expect(env.stdout == "1\n")
        let layers = try cove.run(["image", "inspect", "-f", "{{len .RootFS.Layers}}", "made:v1"])
        let base = try cove.run(["image", "inspect", "-f", "{{len .RootFS.Layers}}", "busybox"])
        #expect(
            Int(layers.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                == (Int(base.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) + 1)
        let missing = try cove.run(["commit", "nosuch"])
        #expect(missing.status != 0 && missing.stderr.contains("No such container: nosuch"), "\(missing.stderr)")
    }

    /// The memory limit file of a container's cgroup, read from the paths the runtime recorded.
    func memoryLimit(_ cove: ContainerDaemon, _ id: String) throws -> String {
        let recorded = try String(contentsOfFile: "\(cove.daemon.root)/run/\(id.prefix(12))/cgroup", encoding: .utf8)
        let lines = recorded.split(separator: "\n")
        let isV2 = lines.first == "v2"
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if isV2 || parts[0] == "memory" {
                let file = parts[1] + (isV2 ? "/memory.max" : "/memory.limit_in_bytes")
                return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        throw TestFailure("no memory cgroup recorded")
    }

    @Test func updateWritesTheCgroupAndInspectShowsIt() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let id = try cove.run(["inspect", "-f", "{{.Id}}", "box"]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let updated = try cove.run(["update", "--memory", "64m", "--pids-limit", "50", "box"])
        #expect(updated.status == 0, "\(updated.stderr)\n\(cove.daemon.log)")
        #expect(try memoryLimit(cove, id) == String(64 << 20))
        let shown = try cove.run(["inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", "box"])
        #expect(shown.stdout == "\(64 << 20) 50\n", "\(shown.stderr)")
        let again = try cove.run(["update", "--memory", "96m", "box"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try memoryLimit(cove, id) == String(96 << 20))
        let bad = try cove.run(["update", "--blkio-weight", "5", "box"])
        #expect(bad.status != 0 && bad.stderr.contains("Range of blkio weight is from 10 to 1000"), "\(bad.stderr)")
    }

    @Test(.dockerSDK)
    func dockerPyArchivesAndCommits() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        try sleeper(cove, "box")
        let script = """
            import docker, io, tarfile
            c = docker.DockerClient(base_url='\(cove.host)')
            box = c.containers.get('box')
            data = io.BytesIO()
            with tarfile.open(fileobj=data, mode='w') as t:
                for name, payload in [('../../../escape.txt', b'up'), ('inside.txt', b'py')]:
                    info = tarfile.TarInfo(name)
                    info.size = len(payload)
                    t.addfile(info, io.BytesIO(payload))
            print(box.put_archive('/tmp', data.getvalue()))
            print(box.put_archive('/../../../../root/../../root', data.getvalue()))
            print(box.exec_run('cat /root/inside.txt').output.decode())
            print(box.exec_run('cat /tmp/escape.txt /tmp/inside.txt').output.decode())
            bits, stat = box.get_archive('/tmp/inside.txt')
            print(stat['name'], stat['size'])
            member = tarfile.open(fileobj=io.BytesIO(b''.join(bits)))
            print(member.extractfile('inside.txt').read().decode())
            bits, stat = box.get_archive('/../../../etc/passwd')
            print(repr(tarfile.open(fileobj=io.BytesIO(b''.join(bits))).extractfile('passwd').read().decode()))
            try:
                box.get_archive('/missing')
            except docker.errors.NotFound as error:
                print('404', 'Could not find the file /missing in container ' + box.id in str(error))
            image = box.commit(repository='pycommit', tag='t1')
            print(image.id.startswith('sha256:'), 'pycommit:t1' in image.tags)
            print(c.containers.run('pycommit:t1', 'cat /tmp/inside.txt', remove=True).decode())
            """
        let result = try ExternalCommand.python(script, timeout: 90)
        #expect(result.status == 0, "\(result.stderr)\n\(cove.daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: "/root/inside.txt"))
        #expect(
            result.stdout == """
                True
                True
                py
                uppy
                inside.txt 2
                py
                'root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/home:/bin/false\\n'
                404 True
                True True
                py

                """, "\(result.stderr)")
    }
}
