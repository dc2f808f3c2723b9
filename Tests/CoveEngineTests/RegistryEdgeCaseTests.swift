import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import Foundation
import Testing

/// Pulls that must choose, or must fail cleanly: a multi-platform index, a blob whose bytes do not
/// match its digest, a registry that is down or answers garbage. The daemon must keep serving.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: RegistryFixtures.available, RegistryFixtures.skipReason))
struct RegistryEdgeCaseTests {
    typealias Kit = RegistryFixtures

    /// The host's architecture as Docker names it, and another one the index also offers.
    static let hostArchitecture = Architecture.goName(forMachine: HostFacts.current().machine)
    static let otherArchitecture = hostArchitecture == "arm64" ? "amd64" : "arm64"

    /// Uploads, through cove's registry client, one single-layer image per architecture and an OCI
    /// index of them tagged `multi`; returns the index digest. The registry checks every digest.
    func seedIndex(_ registry: RegistryProcess, repository: String, scratch: String) async throws -> Digest {
        let store = try ContentStore(root: URL(fileURLWithPath: scratch + "/seed-store"))
        let client = RegistryClient(host: try RegistryHost.resolve(registry.address))
        var descriptors: [Descriptor] = []
        for architecture in [Self.otherArchitecture, Self.hostArchitecture] {
            let directory = scratch + "/layer-\(architecture)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data("built for \(architecture)\n".utf8).write(to: URL(fileURLWithPath: directory + "/arch"))
            let made = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(directory)' -cf '\(directory).tar' ."])
            #expect(made.status == 0, "\(made.stderr)")
            let layer = try store.write(contentsOf: URL(fileURLWithPath: directory + ".tar"))
            let config = ImageConfig(
                architecture: architecture, os: "linux", rootfs: RootFS(diffIDs: [layer.digest]),
                created: "2024-01-02T03:04:05Z")
            let configBlob = try store.write(try OCIJSON.encode(config))
            for blob in [layer, configBlob] {
                let location = try await client.startUpload(repository: repository)
                try await client.upload(blob, from: store, to: location, repository: repository)
            }
            let manifest = ImageManifest(
                config: Descriptor(mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
                layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size)])
            let data = try OCIJSON.encode(manifest)
            let digest = try await client.putManifest(
                repository: repository, reference: Digest.sha256(of: data).description, data: data,
                mediaType: MediaType.ociManifest)
            descriptors.append(
                Descriptor(
                    mediaType: MediaType.ociManifest, digest: digest, size: Int64(data.count),
                    platform: Platform(os: "linux", architecture: architecture)))
        }
        let index = try OCIJSON.encode(ImageIndex(manifests: descriptors))
        return try await client.putManifest(
            repository: repository, reference: "multi", data: index, mediaType: MediaType.ociIndex)
    }

    @Test func anIndexYieldsTheHostPlatformOrTheOneAsked() async throws {
        let registry = try RegistryProcess()
        defer { registry.cleanUp() }
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let indexDigest = try await seedIndex(registry, repository: "multi/img", scratch: daemon.scratch)
        let reference = "\(registry.address)/multi/img:multi"

        let pulled = try Kit.docker(daemon, ["pull", reference])
        #expect(pulled.status == 0, "\(pulled.stderr)\n\(daemon.log)")
        #expect(pulled.stdout.contains("Digest: \(indexDigest)"), "\(pulled.stdout)")
        #expect(try Kit.inspect(daemon, reference, "{{.Architecture}}") == Self.hostArchitecture)
        #expect(
            try Kit.inspect(daemon, reference, "{{json .RepoDigests}}")
                == "[\"\(registry.address)/multi/img@\(indexDigest)\"]")

        let other = try Kit.docker(daemon, ["pull", "--platform", "linux/\(Self.otherArchitecture)", reference])
        #expect(other.status == 0, "\(other.stderr)\n\(daemon.log)")
        #expect(try Kit.inspect(daemon, reference, "{{.Architecture}}") == Self.otherArchitecture)

        let none = try Kit.cove(daemon, ["image", "pull", "--platform", "linux/s390x", reference])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no matching manifest for linux/s390x"), "\(none.stderr)")
    }

    @Test func aBlobWhoseBytesDoNotMatchItsDigestIsRejectedAndLeavesNoImage() throws {
        let registry = try RegistryProcess()
        defer { registry.cleanUp() }
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        let second = try DaemonProcess()
        defer { second.cleanUp() }
        try first.waitUntilServing()
        try second.waitUntilServing()
        let tar = try Kit.rootfsTar(in: first.scratch)
        let reference = "\(registry.address)/bad/blob:1"
        _ = try Kit.seed(first, reference, tar: tar)
        #expect(try Kit.docker(first, ["push", reference]).status == 0)

        // The filesystem driver serves blobs as stored: flip every byte of the layer, same size.
        let layer = Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: tar)))
        let file = registry.blobFile(layer.hex)
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        try Data(original.map { ~$0 }).write(to: URL(fileURLWithPath: file))

        let pulled = try Kit.docker(second, ["pull", reference])
        #expect(pulled.status != 0)
        #expect(pulled.stderr.contains("blob digest mismatch: expected \(layer)"), "\(pulled.stderr)\n\(pulled.stdout)")
        let images = try Kit.docker(second, ["image", "ls", "-q"])
        #expect(images.status == 0 && images.stdout.isEmpty, "\(images.stdout)")
        #expect(!FileManager.default.fileExists(atPath: second.root + "/content/blobs/sha256/\(layer.hex)"))
        let ingest = try FileManager.default.contentsOfDirectory(atPath: second.root + "/content/ingest")
        #expect(ingest.isEmpty, "\(ingest)")
        #expect(try Kit.docker(second, ["version"]).status == 0)
    }

    @Test func aRegistryThatIsDownOrAnswersGarbageGivesAClearErrorAndTheDaemonStays() throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()

        let closed = try RegistryProcess.freePort()
        let down = try Kit.docker(daemon, ["pull", "127.0.0.1:\(closed)/x/y:1"])
        #expect(down.status != 0)
        #expect(down.stderr.contains("cannot connect to registry 127.0.0.1:\(closed)"), "\(down.stderr)")

        let answers = [
            ("not http at all\r\n\r\n", "registry 127.0.0.1:"),
            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello", "not valid JSON"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"truncated", "closed the connection"),
            ("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", "no usable WWW-Authenticate challenge"),
            (
                "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: 28\r\n\r\n"
                    + #"{"schemaVersion":2,"x":true}"#,
                "invalid image manifest"
            ),
        ]
        for (answer, expected) in answers {
            let server = try CannedServer(answer: answer)
            defer { server.cleanUp() }
            let pulled = try Kit.cove(daemon, ["image", "pull", "127.0.0.1:\(server.port)/x/y:1"])
            #expect(pulled.status == 1)
            #expect(pulled.stderr.contains(expected), "\(answer): \(pulled.stderr)")
        }
        #expect(daemon.process.isRunning)
        #expect(try Kit.docker(daemon, ["version"]).status == 0)
    }
}
