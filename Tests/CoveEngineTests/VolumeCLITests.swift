import Foundation
import Testing

/// `cove volume …` and the volume flags of `cove container` as a user runs them, against an
/// isolated daemon.
@Suite(.serialized, .timeLimit(.minutes(3))) struct VolumeCLITests {
    func cove(_ daemon: ContainerDaemon, _ arguments: [String]) throws -> ExternalCommand.Result {
        let binary = try #require(DaemonProcess.binary)
        return try ExternalCommand.run(
            binary, arguments,
            environment: ["COVE_HOST": daemon.host, "COVE_ROOT": daemon.daemon.root, "DOCKER_HOST": nil])
    }

    @Test func volumeCommandsAndContainerMountFlags() throws {
        guard let daemon = try ContainerDaemon.start() else { return }
        defer { daemon.cleanUp() }
        let created = try cove(daemon, ["volume", "create", "--label", "k=v", "cv"])
        #expect(created.status == 0 && created.stdout == "cv\n", "\(created.stderr)\n\(daemon.daemon.log)")
        let table = try cove(daemon, ["volume", "ls"])
        #expect(
            table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) } == [
                ["DRIVER", "VOLUME", "NAME"], ["local", "cv"],
            ], "\(table.stdout)")
        let inspected = try cove(daemon, ["volume", "inspect", "cv"])
        let objects = try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [[String: Any]]
        #expect(objects?.first?["Mountpoint"] as? String == daemon.daemon.root + "/volumes/cv/_data")
        #expect(objects?.first?["Labels"] as? [String: String] == ["k": "v"])

        let mounted = try cove(
            daemon,
            [
                "container", "run", "--rm", "--mount", "type=volume,source=cv,target=/v", "-v", "/anon",
                "--tmpfs", "/t:size=1m", "busybox", "sh", "-c", "echo cli > /v/f; cat /v/f; df -k /t | tail -n 1",
            ])
        #expect(mounted.status == 0 && mounted.stdout.hasPrefix("cli\n"), "\(mounted.stderr)\n\(daemon.daemon.log)")
        #expect(mounted.stdout.contains(" 1024 "), "\(mounted.stdout)")
        let kept = try cove(daemon, ["container", "create", "--name", "keep", "-v", "/anon2", "busybox", "true"])
        #expect(kept.status == 0, "\(kept.stderr)")
        let busy = try cove(daemon, ["volume", "ls", "-q", "--filter", "dangling=false"])
        #expect(busy.stdout.split(separator: "\n").count == 1, "\(busy.stdout)")
        #expect(try cove(daemon, ["container", "rm", "-v", "keep"]).status == 0)
        let pruned = try cove(daemon, ["volume", "prune", "-f"])
        #expect(pruned.status == 0 && pruned.stdout.contains("Total reclaimed space"), "\(pruned.stderr)")
        #expect(try cove(daemon, ["volume", "ls", "-q"]).stdout == "cv\n")
        let badMount = try cove(
            daemon, ["container", "run", "--rm", "--mount", "type=nfs,target=/x", "busybox", "true"])
        #expect(badMount.status != 0 && badMount.stderr.contains("mount type unknown"), "\(badMount.stderr)")
        let removed = try cove(daemon, ["volume", "rm", "cv"])
        #expect(removed.status == 0 && removed.stdout == "cv\n", "\(removed.stderr)")
        let missing = try cove(daemon, ["volume", "rm", "cv"])
        #expect(missing.status != 0 && missing.stderr.contains("get cv: no such volume"), "\(missing.stderr)")
        #expect(daemon.mountsLeft.isEmpty, "\(daemon.mountsLeft)")
    }
}
