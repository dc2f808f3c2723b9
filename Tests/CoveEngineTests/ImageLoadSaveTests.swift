import CoveCore
import Foundation
import Testing

/// `docker save` / `docker load` (and docker-py's) against `cove daemon`, archives from elsewhere
/// (OCI layouts with gzip and zstd layers), bad archives, and a daemon killed in the middle of a load.
///
/// Without the client, a test is skipped with the reason when CI is unset, and fails when it is set.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ImageLoadSaveTests {
    /// The docker CLI against `daemon`, with its own config directory.
    struct Docker {
        let binary: String
        let daemon: DaemonProcess

        func run(_ arguments: [String]) throws -> ExternalCommand.Result {
            try ExternalCommand.run(
                binary, ["-H", "unix://" + daemon.socket] + arguments,
                environment: [
                    "DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_HOST": nil, "DOCKER_CONTEXT": nil,
                    "DOCKER_API_VERSION": nil,
                ], timeout: 60)
        }

        /// Imports a small rootfs as `reference`; returns the image id.
        func importImage(_ reference: String) throws -> String {
            let tar = try TestRootfs.tar(in: daemon.scratch, name: "rootfs-\(UUID().uuidString.prefix(8))")
            let result = try run(["import", tar, reference])
            #expect(result.status == 0, "\(result.stderr)\n\(daemon.log)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func imageID(_ name: String) throws -> String? {
            let result = try run(["image", "inspect", "--format", "{{.Id}}", name])
            return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
    }

    func withDocker(_ body: (Docker) throws -> Void) throws {
        let binary = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        try body(Docker(binary: binary, daemon: daemon))
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func dockerSaveThenLoadGivesBackTheSameImages() throws {
        try withDocker { docker in
            let first = try docker.importImage("first:1")
            let second = try docker.importImage("second")
            let archive = docker.daemon.scratch + "/saved.tar"
            let saved = try docker.run(["save", "-o", archive, "first:1", "second", first])
            #expect(saved.status == 0, "\(saved.stderr)\n\(docker.daemon.log)")
            let listing = try ExternalCommand.run("/bin/sh", ["-c", "tar -tf '\(archive)' | sort"])
            let names = listing.stdout.split(separator: "\n").map(String.init)
            for name in ["index.json", "manifest.json", "oci-layout", "blobs/sha256/\(first.dropFirst(7))"] {
                #expect(names.contains(name), "\(names)")
            }

            for name in ["first:1", "second"] { #expect(try docker.run(["rmi", name]).status == 0) }
            #expect(try docker.imageID("first:1") == nil)
            let loaded = try docker.run(["load", "-i", archive])
            #expect(loaded.status == 0, "\(loaded.stderr)\n\(docker.daemon.log)")
            #expect(loaded.stdout.contains("Loaded image: first:1"), "\(loaded.stdout)")
            #expect(loaded.stdout.contains("Loaded image: second:latest"), "\(loaded.stdout)")
            #expect(try docker.imageID("first:1") == first)
            #expect(try docker.imageID("second") == second)

            let byID = docker.daemon.scratch + "/by-id.tar"
            #expect(try docker.run(["save", "-o", byID, String(second.dropFirst(7).prefix(12))]).status == 0)
            #expect(try docker.run(["rmi", "second"]).status == 0)
            let untagged = try docker.run(["load", "-i", byID])
            #expect(untagged.stdout.contains("Loaded image ID: \(second)"), "\(untagged.stdout)\(untagged.stderr)")

            let piped = try ExternalCommand.run(
                "/bin/sh",
                ["-c", "'\(docker.binary)' -H 'unix://\(docker.daemon.socket)' save first:1 | gzip -c | wc -c"],
                environment: ["DOCKER_CONFIG": docker.daemon.scratch + "/docker-config", "DOCKER_HOST": nil])
            #expect((Int(piped.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)

            let missing = try docker.run(["save", "-o", docker.daemon.scratch + "/x.tar", "nosuch:1"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("No such image: nosuch:1"), "\(missing.stderr)")
        }
    }

    /// An OCI image layout with a gzip and (when the zstd tool is there) a zstd layer, as skopeo or
    /// buildkit write them; returns the archive's path.
    func ociArchive(in directory: String, name: String) throws -> String {
        let layout = directory + "/layout-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: layout + "/blobs/sha256", withIntermediateDirectories: true)
        var layers: [(mediaType: String, digest: Digest, size: Int, diffID: Digest)] = []
        var compressors = [("gzip", "application/vnd.oci.image.layer.v1.tar+gzip")]
        if ExternalCommand.which("zstd") != nil {
            compressors.append(("zstd", "application/vnd.oci.image.layer.v1.tar+zstd"))
        }
        for (tool, mediaType) in compressors {
            let tar = try TestRootfs.tar(in: directory, name: "layer-\(tool)-\(UUID().uuidString.prefix(8))")
            let diffID = Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: tar)))
            let made = try ExternalCommand.run("/bin/sh", ["-c", "\(tool) -q -c '\(tar)' > '\(tar).c'"])
            #expect(made.status == 0, "\(made.stderr)")
            let compressed = try Data(contentsOf: URL(fileURLWithPath: tar + ".c"))
            let digest = Digest.sha256(of: compressed)
            try compressed.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + digest.hex))
            layers.append((mediaType, digest, compressed.count, diffID))
        }
        func store(_ object: Any) throws -> (Digest, Int) {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            let digest = Digest.sha256(of: data)
            try data.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + digest.hex))
            return (digest, data.count)
        }
        let (config, configSize) = try store([
            "architecture": "amd64", "os": "linux", "config": ["Cmd": ["/run.sh"]],
            "rootfs": ["type": "layers", "diff_ids": layers.map(\.diffID.description)],
        ])
        let (manifest, manifestSize) = try store([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": [
                "mediaType": "application/vnd.oci.image.config.v1+json", "digest": config.description,
                "size": configSize,
            ],
            "layers": layers.map { ["mediaType": $0.mediaType, "digest": $0.digest.description, "size": $0.size] },
        ])
        let index: [String: Any] = [
            "schemaVersion": 2,
            "manifests": [
                [
                    "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest.description,
                    "size": manifestSize, "annotations": ["org.opencontainers.image.ref.name": name],
                ]
            ],
        ]
        try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: layout + "/index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: layout + "/oci-layout"))
        let archive = layout + ".tar"
        let made = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(layout)' -cf '\(archive)' ."])
        #expect(made.status == 0, "\(made.stderr)")
        return archive
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func anOCILayoutArchiveWithCompressedLayersLoads() throws {
        try withDocker { docker in
            let archive = try ociArchive(in: docker.daemon.scratch, name: "localhost:5000/oci/app:7")
            let loaded = try docker.run(["load", "-i", archive])
            #expect(loaded.status == 0, "\(loaded.stderr)\n\(docker.daemon.log)")
            #expect(loaded.stdout.contains("Loaded image: localhost:5000/oci/app:7"), "\(loaded.stdout)")
            let history = try docker.run(["history", "-q", "localhost:5000/oci/app:7"])
            #expect(history.status == 0, "\(history.stderr)")
            let inspect = try docker.run([
                "image", "inspect", "--format", "{{len .RootFS.Layers}}", "localhost:5000/oci/app:7",
            ])
            #expect(
                inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    == (ExternalCommand.which("zstd") != nil ? "2" : "1"))
        }
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func layersAreUnpackedOnArrivalAndCollectedWhenNoImageNeedsThem() throws {
        try withDocker { docker in
            let snapshots = docker.daemon.root + "/snapshots"
            func chains() -> Set<String> {
                Set(files(snapshots).filter { $0.count == 64 })
            }
            let tar = try TestRootfs.tar(in: docker.daemon.scratch, name: "unpacked", marker: "flat")
            let diffID = Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: tar)))
            #expect(try docker.run(["import", tar, "flat:1"]).status == 0)
            #expect(chains() == [diffID.hex])
            let greeting = try String(contentsOfFile: "\(snapshots)/\(diffID.hex)/fs/etc/greeting", encoding: .utf8)
            #expect(greeting == "hello\n")

            let archive = try ociArchive(in: docker.daemon.scratch, name: "layered:1")
            #expect(try docker.run(["load", "-i", archive]).status == 0)
            let layers = ExternalCommand.which("zstd") != nil ? 2 : 1
            #expect(chains().count == 1 + layers, "\(chains())")
            for chain in chains() {
                #expect(FileManager.default.fileExists(atPath: "\(snapshots)/\(chain)/fs/run.sh"), "\(chain)")
            }

            #expect(try docker.run(["rmi", "flat:1"]).status == 0)
            #expect(chains().count == layers && !chains().contains(diffID.hex), "\(chains())")
            #expect(try docker.run(["image", "prune", "-a", "-f"]).status == 0)
            #expect(chains().isEmpty, "\(chains())")
        }
    }

    func files(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func badArchivesAreRefusedAndLeaveNoImage() throws {
        try withDocker { docker in
            let garbage = docker.daemon.scratch + "/garbage.tar"
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
            let refused = try docker.run(["load", "-i", garbage])
            #expect(refused.status != 0)
            #expect(!refused.stderr.isEmpty)

            let empty = docker.daemon.scratch + "/empty"
            try FileManager.default.createDirectory(atPath: empty + "/x", withIntermediateDirectories: true)
            let noManifest = docker.daemon.scratch + "/no-manifest.tar"
            _ = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(empty)' -cf '\(noManifest)' ."])
            let notImage = try docker.run(["load", "-i", noManifest])
            #expect(notImage.status != 0)
            #expect(notImage.stderr.contains("neither a manifest.json nor an index.json"), "\(notImage.stderr)")

            let archive = try ociArchive(in: docker.daemon.scratch, name: "bad:1")
            let layout = docker.daemon.scratch + "/tampered"
            try FileManager.default.createDirectory(atPath: layout, withIntermediateDirectories: true)
            _ = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(layout)' -xf '\(archive)'"])
            let blobs = try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256")
            let victim = try #require(blobs.first)
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + victim))
            let tampered = docker.daemon.scratch + "/tampered.tar"
            _ = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(layout)' -cf '\(tampered)' ."])
            let mismatch = try docker.run(["load", "-i", tampered])
            #expect(mismatch.status != 0)
            #expect(mismatch.stderr.contains(victim.prefix(12)), "\(mismatch.stderr)")

            let listed = try docker.run(["image", "ls", "-q"])
            #expect(listed.stdout.isEmpty, "\(listed.stdout)")
            let ingest = try FileManager.default.contentsOfDirectory(atPath: docker.daemon.root + "/content/ingest")
            #expect(ingest.isEmpty, "\(ingest)")
        }
    }

    @Test(.dockerSDK)
    func pythonSDKSavesAndLoads() throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let tar = try TestRootfs.tar(in: daemon.scratch)
        let script = """
            import docker
            c = docker.DockerClient(base_url='unix://\(daemon.socket)')
            with open('\(tar)', 'rb') as f:
                c.api.import_image_from_data(f.read(), repository='py', tag='1')
            image = c.images.get('py:1')
            data = b''.join(image.save(named=True))
            c.images.remove('py:1')
            loaded = c.images.load(data)
            print(len(data) > 0, [i.tags for i in loaded], loaded[0].id == image.id)
            """
        let result = try ExternalCommand.python(script)
        #expect(result.status == 0, "\(result.stderr)\n\(daemon.log)")
        #expect(result.stdout == "True [['py:1']] True\n")
    }
}
