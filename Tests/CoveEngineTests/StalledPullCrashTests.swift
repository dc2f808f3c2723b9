import CoveCore
import CoveImage
import CoveLinux
import Foundation
import Testing

/// `kill -9` of the daemon halfway through a layer download (a server that stalls there, so the
/// moment is certain rather than timed) leaves neither a half-written blob nor a
/// half-registered image, and the next pull completes.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StalledPullCrashTests {
    /// A one-layer image (a tar of 8 MB of random bytes) as blobs, and its manifest.
    func makeImage(in directory: String) throws -> (manifest: Data, blobs: [String: Data], layer: Digest) {
        try FileManager.default.createDirectory(atPath: directory + "/layer", withIntermediateDirectories: true)
        let made = try ExternalCommand.run(
            "/bin/sh",
            [
                "-c",
                "head -c 8388608 /dev/urandom > '\(directory)/layer/random.bin' && "
                    + "tar -C '\(directory)/layer' -cf '\(directory)/layer.tar' .",
            ])
        guard made.status == 0 else { throw TestFailure("tar failed: \(made.stderr)") }
        let layer = try Data(contentsOf: URL(fileURLWithPath: directory + "/layer.tar"))
        let layerDigest = Digest.sha256(of: layer)
        let config = try OCIJSON.encode(
            ImageConfig(architecture: "amd64", os: "linux", rootfs: RootFS(diffIDs: [layerDigest])))
        let configDigest = Digest.sha256(of: config)
        let manifest = try OCIJSON.encode(
            ImageManifest(
                config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)),
                layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layerDigest, size: Int64(layer.count))]))
        return (manifest, [layerDigest.description: layer, configDigest.description: config], layerDigest)
    }

    @Test(.enabled(if: ExternalCommand.python3 != nil || ExternalCommand.isCI, "python3 not on PATH"))
    func killedMidPullLeavesNothingHalfDoneAndThePullCompletesAfterARestart() throws {
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        try first.waitUntilServing()
        let image = try makeImage(in: first.scratch + "/image")
        let server = try StallingRegistry(
            manifest: image.manifest, mediaType: MediaType.ociManifest, blobs: image.blobs,
            stalled: image.layer.description)
        defer { server.cleanUp() }
        let reference = "\(server.address)/slow/img:1"
        let binary = try #require(DaemonProcess.binary)

        let client = Process()
        client.executableURL = URL(fileURLWithPath: binary)
        client.arguments = ["image", "pull", reference]
        var environment = ProcessInfo.processInfo.environment
        environment["COVE_HOST"] = "unix://" + first.socket
        environment["COVE_CONFIG"] = first.scratch + "/cove-config"
        client.environment = environment
        client.standardInput = FileHandle.nullDevice
        client.standardOutput = FileHandle.nullDevice
        client.standardError = FileHandle.nullDevice
        try client.run()
        defer {
            if client.isRunning { try? Signal.kill.send(to: client.processIdentifier) }
            client.waitUntilExit()
        }

        // Wait until half the layer sits in an ingest file, then kill the daemon.
        let ingest = first.root + "/content/ingest"
        let half = Int64(image.blobs[image.layer.description]?.count ?? 0) / 2
        let deadline = ContinuousClock.now + .seconds(30)
        var partial: String?
        while partial == nil, ContinuousClock.now < deadline {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? [] {
                let size = (try? FileManager.default.attributesOfItem(atPath: ingest + "/" + name))?[.size] as? NSNumber
                if (size?.int64Value ?? 0) >= half { partial = name }
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(partial != nil, "no half-written layer appeared in \(ingest)\n\(server.log)\n\(first.log)")
        try Signal.kill.send(to: first.pid)
        #expect(first.waitForExit(seconds: 10) != nil)

        let second = try DaemonProcess(root: first.root)
        defer { second.cleanUp() }
        try second.waitUntilServing()
        #expect(try FileManager.default.contentsOfDirectory(atPath: ingest).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: first.root + "/content/blobs/sha256/\(image.layer.hex)"))
        let listed = try RegistryFixtures.cove(second, ["image", "ls", "-q"])
        #expect(listed.status == 0 && listed.stdout.isEmpty, "\(listed.stdout)\(listed.stderr)")

        let pulled = try RegistryFixtures.cove(second, ["image", "pull", reference])
        #expect(pulled.status == 0, "\(pulled.stderr)\n\(second.log)")
        #expect(pulled.stdout.contains("Status: Downloaded newer image for \(reference)"), "\(pulled.stdout)")
        #expect(FileManager.default.fileExists(atPath: first.root + "/content/blobs/sha256/\(image.layer.hex)"))
    }
}
