import Foundation
import Testing

/// A daemon whose root is on a full file system (a small tmpfs): an import that does not fit fails
/// with the system's reason, the daemon keeps serving, nothing is half-registered or left in
/// ingest, and an import that fits then succeeds.
@Suite(.serialized, .timeLimit(.minutes(2))) struct FullDiskTests {
    @Test(
        .enabled(if: geteuid() == 0, "needs root to mount a small tmpfs as the daemon's root"),
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func anImageThatDoesNotFitFailsCleanly() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let scratch = NSTemporaryDirectory() + "cove-full-disk-" + UUID().uuidString
        let root = scratch + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let mounted = try ExternalCommand.run("/bin/mount", ["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", root])
        try #require(mounted.status == 0, "\(mounted.stderr)")
        defer { _ = try? ExternalCommand.run("/bin/umount", ["-l", root]) }

        let daemon = try DaemonProcess(root: root)
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        func run(_ arguments: [String]) throws -> ExternalCommand.Result {
            try ExternalCommand.run(
                docker, ["-H", "unix://" + daemon.socket] + arguments,
                environment: ["DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_HOST": nil], timeout: 60)
        }

        let big = scratch + "/big"
        let made = try ExternalCommand.run(
            "/bin/sh",
            [
                "-c",
                "mkdir -p '\(big)' && head -c 40M /dev/urandom > '\(big)/data' && tar -C '\(big)' -cf '\(scratch)/big.tar' .",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let refused = try run(["import", scratch + "/big.tar", "big:1"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("No space left on device"), "\(refused.stderr)")

        let version = try run(["version", "--format", "{{.Server.APIVersion}}"])
        #expect(version.status == 0 && version.stdout == "1.43\n", "\(version.stderr)\n\(daemon.log)")
        #expect(try run(["image", "ls", "-q"]).stdout.isEmpty)
        let ingest = (try? FileManager.default.contentsOfDirectory(atPath: root + "/content/ingest")) ?? []
        #expect(ingest.isEmpty, "\(ingest)")

        let small = try TestRootfs.tar(in: scratch, name: "small")
        let fits = try run(["import", small, "small:1"])
        #expect(fits.status == 0, "\(fits.stderr)\n\(daemon.log)")
    }
}
