import Foundation
import Testing

/// The docker CLI manages volumes on `cove daemon` and runs busybox containers with named and
/// anonymous volumes, binds and tmpfs mounts; Docker's errors for bad input and volumes in use.
/// Each test removes its containers, volumes, mounts and cgroups, even on failure.
@Suite(.serialized, .timeLimit(.minutes(3))) struct VolumeDockerCLITests {
    @Test func volumeEventsTellCreateMountUnmountAndDestroy() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let since = String(format: "%.9f", Date().timeIntervalSince1970)
        #expect(try cove.run(["volume", "create", "ev"]).status == 0)
        let ran = try cove.run(["run", "--rm", "-v", "ev:/d", "busybox", "true"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(try cove.run(["volume", "rm", "ev"]).status == 0)
        let until = String(format: "%.9f", Date().timeIntervalSince1970)
        let events = try cove.run([
            "events", "--since", since, "--until", until, "--filter", "type=volume", "--format",
            "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.driver}}",
        ])
        #expect(events.stdout == "create ev local\nmount ev local\nunmount ev local\ndestroy ev local\n", "\(events)")
    }

    @Test func namedVolumesAreCreatedListedSharedAndRemovedWhenUnused() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let created = try cove.run(["volume", "create", "--label", "team=a", "data"])
        #expect(created.status == 0 && created.stdout == "data\n", "\(created.stderr)\n\(cove.daemon.log)")
        let listed = try cove.run(["volume", "ls", "--format", "{{.Driver}} {{.Name}}"])
        #expect(listed.stdout == "local data\n", "\(listed.stderr)")
        let inspected = try cove.run(["volume", "inspect", "-f", "{{.Mountpoint}} {{.Labels.team}} {{.Scope}}", "data"])
        #expect(inspected.stdout == "\(cove.daemon.root)/volumes/data/_data a local\n", "\(inspected.stderr)")
        let byLabel = try cove.run(["volume", "ls", "-q", "--filter", "label=team=b"])
        #expect(byLabel.status == 0 && byLabel.stdout.isEmpty, "\(byLabel.stdout)\(byLabel.stderr)")

        let wrote = try cove.run(["run", "--rm", "-v", "data:/data", "busybox", "sh", "-c", "echo hi > /data/f"])
        #expect(wrote.status == 0, "\(wrote.stderr)\n\(cove.daemon.log)")
        let read = try cove.run(["run", "--rm", "-v", "data:/data:ro", "busybox", "cat", "/data/f"])
        #expect(read.stdout == "hi\n", "\(read.stderr)")
        let readOnly = try cove.run(["run", "--rm", "-v", "data:/data:ro", "busybox", "touch", "/data/g"])
        #expect(readOnly.status != 0 && readOnly.stderr.contains("Read-only file system"), "\(readOnly.stderr)")
        // Created on first use.
        let fresh = try cove.run(["run", "--rm", "--mount", "type=volume,src=fresh,dst=/m", "busybox", "ls", "/m"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(try cove.run(["volume", "inspect", "-f", "{{.Name}}", "fresh"]).stdout == "fresh\n")

        let user = try cove.run(["run", "-d", "--name", "user", "-v", "data:/data", "busybox", "sleep", "100"])
        #expect(user.status == 0, "\(user.stderr)")
        let id = user.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let mounts = try cove.run([
            "inspect", "-f",
            "{{range .Mounts}}{{.Type}} {{.Name}} {{.Source}} {{.Destination}} {{.Driver}} {{.RW}}{{end}}", "user",
        ])
        #expect(mounts.stdout == "volume data \(cove.daemon.root)/volumes/data/_data /data local true\n")
        let busy = try cove.run(["volume", "rm", "data"])
        #expect(busy.status != 0)
        #expect(busy.stderr.contains("remove data: volume is in use - [\(id)]"), "\(busy.stderr)")
        let dangling = try cove.run(["volume", "ls", "-q", "--filter", "dangling=true"])
        #expect(dangling.stdout == "fresh\n", "\(dangling.stderr)")
        // Force removes a volume in use; the container's next start mounts a new one of that name.
        let forced = try cove.run(["volume", "rm", "-f", "data"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try cove.run(["volume", "ls", "-q"]).stdout == "fresh\n")
        #expect(try cove.run(["restart", "-t", "0", "user"]).status == 0)
        let remade = try cove.run(["exec", "user", "ls", "-A", "/data"])
        #expect(remade.status == 0 && remade.stdout.isEmpty, "\(remade.stdout)\(remade.stderr)")
        #expect(try cove.run(["volume", "ls", "-q"]).stdout == "data\nfresh\n")
        #expect(try cove.run(["rm", "-f", "user"]).status == 0)
        let removed = try cove.run(["volume", "rm", "data", "fresh"])
        #expect(removed.status == 0 && removed.stdout == "data\nfresh\n", "\(removed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cove.daemon.root + "/volumes/data"))
        let missing = try cove.run(["volume", "inspect", "data"])
        #expect(missing.status != 0 && missing.stderr.contains("no such volume"), "\(missing.stderr)")
        let badName = try cove.run(["volume", "create", "bad/name"])
        #expect(badName.status != 0 && badName.stderr.contains("invalid characters"), "\(badName.stderr)")
        #expect(cove.mountsLeft.isEmpty, "\(cove.mountsLeft)")
    }

    @Test func aNewVolumeIsFilledFromTheImageAndAnonymousOnesGoWithRmV() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let script = ContainerDaemon.repository.appendingPathComponent("scripts/busybox-rootfs").path
        let imported = try cove.shell("bash '\(script)' | docker import --change 'VOLUME /etc' - volimg")
        #expect(imported.status == 0, "\(imported.stderr)")

        // Modes, symlinks and content of the image at the mount point are copied into an empty volume.
        let modes = try cove.run([
            "run", "--rm", "-v", "tmpvol:/tmp", "-v", "rootvol:/root", "busybox", "stat", "-c", "%a", "/tmp", "/root",
        ])
        #expect(modes.stdout == "1777\n700\n", "\(modes.stderr)\n\(cove.daemon.log)")
        let links = try cove.run(["run", "--rm", "-v", "binvol:/bin", "busybox", "readlink", "/bin/sh"])
        #expect(links.stdout == "busybox\n", "\(links.stderr)")
        let linkOnHost = try FileManager.default.destinationOfSymbolicLink(
            atPath: cove.daemon.root + "/volumes/binvol/_data/sh")
        #expect(linkOnHost == "busybox")
        let noCopy = try cove.run(["run", "--rm", "-v", "emptyvol:/etc:nocopy", "busybox", "ls", "-A", "/etc"])
        // Only the runtime's own /etc files (hosts, hostname, resolv.conf) are mounted there.
        #expect(noCopy.status == 0 && !noCopy.stdout.contains("passwd"), "\(noCopy.stdout)\(noCopy.stderr)")
        #expect(noCopy.stdout.contains("hosts"), "\(noCopy.stdout)")

        // The image's VOLUME becomes an anonymous volume, filled from the image.
        let fromImage = try cove.run(["run", "--name", "iv", "volimg", "cat", "/etc/group"])
        #expect(fromImage.stdout.hasPrefix("root:x:0:"), "\(fromImage.stderr)")
        let shown = try cove.run([
            "inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", "iv",
        ])
        let words = shown.stdout.split(separator: " ")
        #expect(
            words.count == 3 && words[0] == "volume" && words[1].count == 64 && words[2] == "/etc\n", "\(shown.stdout)")
        let anonymous = String(words.count == 3 ? words[1] : "")
        let labels = try cove.run(["volume", "inspect", "-f", "{{json .Labels}}", anonymous])
        #expect(labels.stdout == "{\"com.docker.volume.anonymous\":\"\"}\n", "\(labels.stderr)")

        let lone = try cove.run(["create", "--name", "lone", "-v", "/cache", "busybox", "true"])
        #expect(lone.status == 0, "\(lone.stderr)")
        let loneVolume = try cove.run(["inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "lone"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(loneVolume.count == 64)
        #expect(try cove.run(["rm", "-v", "iv"]).status == 0)
        #expect(try cove.run(["rm", "lone"]).status == 0)
        let left = try cove.run(["volume", "ls", "-q"]).stdout
        #expect(!left.contains(anonymous) && left.contains(loneVolume), "\(left)")

        // Prune removes unused anonymous volumes only, unless --all.
        let pruned = try cove.run(["volume", "prune", "-f"])
        #expect(pruned.stdout.contains(loneVolume) && !pruned.stdout.contains("binvol"), "\(pruned.stdout)")
        #expect(try cove.run(["volume", "ls", "-q"]).stdout == "binvol\nemptyvol\nrootvol\ntmpvol\n")
        let all = try cove.run(["volume", "prune", "-af"])
        #expect(all.stdout.contains("binvol") && all.stdout.contains("Total reclaimed space"), "\(all.stdout)")
        #expect(try cove.run(["volume", "ls", "-q"]).stdout.isEmpty)
        #expect(cove.mountsLeft.isEmpty, "\(cove.mountsLeft)")
    }

    @Test func bindsAndTmpfsMountsTakeTheirOptions() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let host = cove.daemon.scratch + "/made-by-binds"
        let made = try cove.run(["run", "--rm", "-v", "\(host):/h", "busybox", "sh", "-c", "echo x > /h/f"])
        #expect(made.status == 0, "\(made.stderr)\n\(cove.daemon.log)")
        #expect(FileManager.default.fileExists(atPath: host + "/f"))
        try Data("one file\n".utf8).write(to: URL(fileURLWithPath: cove.daemon.scratch + "/single"))
        let file = try cove.run([
            "run", "--rm", "-v", "\(cove.daemon.scratch)/single:/etc/single:ro", "busybox", "cat", "/etc/single",
        ])
        #expect(file.stdout == "one file\n", "\(file.stderr)")
        let missing = cove.daemon.scratch + "/absent"
        let refused = try cove.run([
            "run", "--rm", "--mount", "type=bind,source=\(missing),target=/x", "busybox", "true",
        ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("bind source path does not exist: \(missing)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        let readOnly = try cove.run([
            "run", "--rm", "--mount", "type=bind,source=\(host),target=/h,readonly", "busybox", "touch", "/h/g",
        ])
        #expect(readOnly.status != 0 && readOnly.stderr.contains("Read-only file system"), "\(readOnly.stderr)")
        let tmpfs = try cove.run([
            "run", "--rm", "--mount", "type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770", "--tmpfs", "/u:size=2m",
            "busybox", "sh", "-c", "stat -c %a /t; df -k /t /u | tail -n 2 | awk '{print $2}'",
        ])
        #expect(tmpfs.stdout == "1770\n1024\n2048\n", "\(tmpfs.stderr)")
        let relative = try cove.run(["run", "--rm", "-v", "data:relative", "busybox", "true"])
        #expect(relative.status != 0, "\(relative.stdout)")
        let duplicate = try cove.run(["run", "--rm", "-v", "a1:/d", "--tmpfs", "/d", "busybox", "true"])
        #expect(duplicate.status != 0 && duplicate.stderr.contains("Duplicate mount point: /d"), "\(duplicate.stderr)")
        #expect(try cove.run(["volume", "ls", "-q"]).stdout.isEmpty)
        #expect(cove.mountsLeft.isEmpty, "\(cove.mountsLeft)")
    }

    @Test(.dockerSDK)
    func pythonSDKManagesVolumes() throws {
        guard let cove = try ContainerDaemon.start() else { return }
        defer { cove.cleanUp() }
        let script = """
            import docker
            c = docker.DockerClient(base_url='\(cove.host)')
            v = c.volumes.create(name='pyvol', labels={'a': 'b'})
            print(v.name, v.attrs['Driver'], v.attrs['Labels'])
            print([x.name for x in c.volumes.list(filters={'label': 'a=b'})])
            out = c.containers.run('busybox', ['sh', '-c', 'echo py > /d/f; cat /d/f'],
                                   volumes={'pyvol': {'bind': '/d', 'mode': 'rw'}}, remove=True)
            print(out.decode().strip())
            k = c.containers.create('busybox', ['true'], volumes={'pyvol': {'bind': '/d', 'mode': 'rw'}})
            try:
                c.volumes.get('pyvol').remove()
            except docker.errors.APIError as e:
                print(e.status_code, 'in use' in str(e))
            c.api.remove_container(k.id, v=True)
            c.volumes.get('pyvol').remove()
            try:
                c.volumes.get('pyvol')
            except docker.errors.NotFound as e:
                print('gone')
            c.volumes.create(name='other')
            print(c.volumes.prune(filters={'all': 'true'})['VolumesDeleted'])
            """
        let result = try ExternalCommand.python(script)
        #expect(result.status == 0, "\(result.stderr)\n\(cove.daemon.log)")
        #expect(result.stdout == "pyvol local {'a': 'b'}\n['pyvol']\npy\n409 True\ngone\n['other']\n")
    }
}
