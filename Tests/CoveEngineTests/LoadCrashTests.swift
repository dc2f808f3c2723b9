import CoveCore
import CoveLinux
import Foundation
import Testing

/// `kill -9` of the daemon in the middle of a `docker load`: after a restart the engine holds either
/// the whole image or none of it, every stored blob hashes to its name, no ingest file is left, and
/// the same load then succeeds.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LoadCrashTests {
    /// A `docker save`-style archive with one uncompressed layer of `megabytes` random bytes;
    /// returns its path and the image id (the config's digest).
    func bigArchive(in directory: String, megabytes: Int) throws -> (path: String, id: String) {
        let layout = directory + "/big"
        try FileManager.default.createDirectory(atPath: layout + "/blobs/sha256", withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(directory)'
            mkdir -p layer && head -c \(megabytes)M /dev/urandom > layer/data
            tar -C layer -cf layer.tar .
            sha256sum layer.tar | cut -d' ' -f1
            """
        let made = try ExternalCommand.run("/bin/sh", ["-c", script], timeout: 120)
        #expect(made.status == 0, "\(made.stderr)")
        let layerHex = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.moveItem(atPath: directory + "/layer.tar", toPath: layout + "/blobs/sha256/" + layerHex)
        let config = try JSONSerialization.data(
            withJSONObject: [
                "architecture": "amd64", "os": "linux",
                "rootfs": ["type": "layers", "diff_ids": ["sha256:" + layerHex]],
            ], options: [.sortedKeys])
        let configDigest = Digest.sha256(of: config)
        try config.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + configDigest.hex))
        let manifest = try JSONSerialization.data(withJSONObject: [
            [
                "Config": "blobs/sha256/" + configDigest.hex, "RepoTags": ["big:1"],
                "Layers": ["blobs/sha256/" + layerHex],
            ]
        ])
        try manifest.write(to: URL(fileURLWithPath: layout + "/manifest.json"))
        let archive = directory + "/big.tar"
        let packed = try ExternalCommand.run(
            "/bin/sh", ["-c", "tar -C '\(layout)' -cf '\(archive)' . && rm -rf '\(layout)' '\(directory)/layer'"])
        #expect(packed.status == 0, "\(packed.stderr)")
        return (archive, configDigest.description)
    }

    /// Starts `docker load -i archive` against `daemon` in the background.
    func startLoad(_ docker: String, daemon: DaemonProcess, archive: String) throws -> Process {
        let load = Process()
        load.executableURL = URL(fileURLWithPath: docker)
        load.arguments = ["-H", "unix://" + daemon.socket, "load", "-q", "-i", archive]
        var environment = ProcessInfo.processInfo.environment
        environment["DOCKER_CONFIG"] = daemon.scratch + "/docker-config"
        environment["DOCKER_HOST"] = nil
        load.environment = environment
        load.standardOutput = FileHandle.nullDevice
        load.standardError = FileHandle.nullDevice
        try load.run()
        return load
    }

    /// Waits (up to 60 s) until `condition` holds; false when it never did.
    func wait(until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    /// When to kill the daemon: while the body is spooled, while a blob is written, or after a delay.
    enum Moment: CustomStringConvertible, CaseIterable {
        case spooling, writingBlob, afterLoadStarted

        var description: String {
            switch self {
            case .spooling: "while the archive arrives"
            case .writingBlob: "while a blob is written"
            case .afterLoadStarted: "600 ms into the load"
            }
        }
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func aKilledLoadLeavesAWholeImageOrNone() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        try first.waitUntilServing()
        let (archive, id) = try bigArchive(in: first.scratch, megabytes: 96)
        let ingest = first.root + "/content/ingest"
        var daemon = first
        var others: [DaemonProcess] = []
        defer { for other in others { other.cleanUp() } }
        for moment in Moment.allCases {
            let load = try startLoad(docker, daemon: daemon, archive: archive)
            defer { if load.isRunning { load.terminate() } }
            let reached: Bool
            switch moment {
            case .spooling:
                reached = wait { CrashRecovery.files(ingest).contains { $0.hasPrefix("spool-") } }
            case .writingBlob:
                reached = wait { CrashRecovery.files(ingest).contains { !$0.hasPrefix("spool-") } }
            case .afterLoadStarted:
                Thread.sleep(forTimeInterval: 0.6)
                reached = true
            }
            #expect(reached, "never saw the moment \(moment)")
            try CrashRecovery.kill(daemon, servingFor: load)
            let next = try CrashRecovery.restartAndCheck(
                root: first.root, docker: docker, expecting: id, after: "\(moment)")
            others.append(next)
            daemon = next
        }
        let reload = try ExternalCommand.run(
            docker, ["-H", "unix://" + daemon.socket, "load", "-i", archive],
            environment: ["DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_HOST": nil], timeout: 120)
        #expect(reload.status == 0, "\(reload.stderr)\n\(daemon.log)")
        let inspected = try ExternalCommand.run(
            docker, ["-H", "unix://" + daemon.socket, "image", "inspect", "--format", "{{.Id}}", "big:1"],
            environment: ["DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_HOST": nil])
        #expect(inspected.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == id)
    }
}
