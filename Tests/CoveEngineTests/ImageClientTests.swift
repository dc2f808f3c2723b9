import CoveCore
import CoveImage
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The image endpoints driven by the real docker CLI and docker-py against `cove daemon`, and an
/// import cut short by a client that disconnects.
///
/// Without the client, a test is skipped with the reason when CI is unset, and fails when it is set.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ImageClientTests {
    /// The environment for the docker CLI: its own config directory, no inherited host or context.
    func dockerEnvironment(_ scratch: String) -> [String: String?] {
        [
            "DOCKER_CONFIG": scratch + "/docker-config", "DOCKER_HOST": nil, "DOCKER_CONTEXT": nil,
            "DOCKER_API_VERSION": nil, "DOCKER_TLS_VERIFY": nil, "DOCKER_CERT_PATH": nil,
        ]
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func dockerCLIImportsListsInspectsTagsAndRemoves() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let environment = dockerEnvironment(daemon.scratch)
        func run(_ arguments: [String]) throws -> ExternalCommand.Result {
            try ExternalCommand.run(docker, ["-H", "unix://" + daemon.socket] + arguments, environment: environment)
        }
        let tar = try TestRootfs.tar(in: daemon.scratch)
        let layer = CoveCore.Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: tar)))

        let imported = try ExternalCommand.run(
            "/bin/sh", ["-c", "cat '\(tar)' | '\(docker)' -H 'unix://\(daemon.socket)' import - myimg:1"],
            environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)\n\(daemon.log)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("sha256:") && id.count == 71)

        let listed = try run(["image", "ls", "--format", "{{json .}}"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try listed.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(rows.count == 1)
        #expect(rows.first?["Repository"] as? String == "myimg")
        #expect(rows.first?["Tag"] as? String == "1")
        #expect(rows.first?["ID"] as? String == String(id.dropFirst(7).prefix(12)))

        let inspected = try run(["image", "inspect", "myimg:1"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        let objects = try #require(
            try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [[String: Any]])
        let image = try #require(objects.first)
        #expect(image["Id"] as? String == id)
        #expect((image["RootFS"] as? [String: Any])?["Layers"] as? [String] == [layer.description])
        #expect(image["Os"] as? String == "linux")

        #expect(try run(["tag", "myimg:1", "other/name:2"]).status == 0)
        let tags = try run(["image", "inspect", "--format", "{{json .RepoTags}}", id])
        #expect(tags.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\"myimg:1\",\"other/name:2\"]")
        let untagged = try run(["rmi", "other/name:2"])
        #expect(untagged.status == 0, "\(untagged.stderr)")
        #expect(untagged.stdout == "Untagged: other/name:2\n")
        let deleted = try run(["rmi", "myimg:1"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout == "Untagged: myimg:1\nDeleted: \(id)\n")

        let gzipped = try ExternalCommand.run(
            "/bin/sh", ["-c", "gzip -c '\(tar)' | '\(docker)' -H 'unix://\(daemon.socket)' import - gz:1"],
            environment: environment)
        #expect(gzipped.status != 0)
        #expect(gzipped.stderr.contains("compressed import not supported yet"), "\(gzipped.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.root + "/content/ingest").isEmpty)

        let missing = try run(["image", "inspect", "nosuch"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No such image"), "\(missing.stderr)")
        let empty = try run(["image", "ls", "-q"])
        #expect(empty.status == 0 && empty.stdout.isEmpty, "\(empty.stdout)\(empty.stderr)")
    }

    @Test(.dockerSDK)
    func pythonSDKListsAndGetsImages() throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let tar = try TestRootfs.tar(in: daemon.scratch)
        let script = """
            import docker
            c = docker.DockerClient(base_url='unix://\(daemon.socket)')
            with open('\(tar)', 'rb') as f:
                c.api.import_image_from_data(f.read(), repository='myimg', tag='1')
            image = c.images.get('myimg:1')
            print(image.id, [t for i in c.images.list() for t in i.tags])
            """
        let result = try ExternalCommand.python(script)
        #expect(result.status == 0, "\(result.stderr)\n\(daemon.log)")
        let words = result.stdout.split(separator: " ", maxSplits: 1)
        #expect(words.first?.hasPrefix("sha256:") == true)
        #expect(words.last == "['myimg:1']\n")
    }

    @Test func truncatedImportLeavesNothingBehind() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let head =
            "POST /v1.43/images/create?fromSrc=-&repo=cut&tag=1 HTTP/1.1\r\nHost: cove\r\n"
            + "Content-Length: 10000000\r\nContent-Type: application/x-tar\r\n\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: daemon.socket).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: Array(head.utf8) + [UInt8](repeating: 0, count: 500_000)))
        try await Task.sleep(for: .milliseconds(300))
        try await channel.close()

        let ingest = daemon.root + "/content/ingest"
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !daemon.log.contains("images/create?fromSrc=-&repo=cut&tag=1 400") {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(daemon.log.contains("images/create?fromSrc=-&repo=cut&tag=1 400"), "\(daemon.log)")
        #expect(daemon.process.isRunning, "\(daemon.log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ingest).isEmpty)
        let blobs = (try? FileManager.default.contentsOfDirectory(atPath: daemon.root + "/content/blobs/sha256")) ?? []
        #expect(blobs.isEmpty)
        let list = try await RawHTTP.exchange("GET /images/json HTTP/1.1\r\nHost: cove\r\n\r\n", socket: daemon.socket)
        #expect(list.hasPrefix("HTTP/1.1 200"))
        #expect(list.hasSuffix("\r\n\r\n[]\n"), "\(list)")
    }
}
