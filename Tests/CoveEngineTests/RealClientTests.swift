import Foundation
import Testing

/// The real docker CLI and the docker Python SDK against `cove daemon`.
///
/// Without the client, a test is skipped with the reason when CI is unset, and fails when it is set.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RealClientTests {
    /// The environment for the docker CLI: its own config directory, no inherited host or context.
    func dockerEnvironment(_ scratch: String) -> [String: String?] {
        [
            "DOCKER_CONFIG": scratch + "/docker-config", "DOCKER_HOST": nil, "DOCKER_CONTEXT": nil,
            "DOCKER_API_VERSION": nil, "DOCKER_TLS_VERIFY": nil, "DOCKER_CERT_PATH": nil,
        ]
    }

    func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func dockerCLIReadsVersionAndInfo() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let host = "unix://" + daemon.socket

        let version = try ExternalCommand.run(
            docker, ["-H", host, "version", "--format", "{{json .}}"], environment: dockerEnvironment(daemon.scratch))
        #expect(version.status == 0, "\(version.stderr)\n\(daemon.log)")
        let server = try #require(try jsonObject(version.stdout)["Server"] as? [String: Any])
        #expect(server["ApiVersion"] as? String == "1.43")
        #expect(server["Os"] as? String == "linux")
        #expect(server["MinAPIVersion"] as? String == "1.24")
        #expect((server["Platform"] as? [String: Any])?["Name"] as? String == "Cove Engine")

        let info = try ExternalCommand.run(
            docker, ["-H", host, "info", "--format", "{{json .}}"], environment: dockerEnvironment(daemon.scratch))
        #expect(info.status == 0, "\(info.stderr)\n\(daemon.log)")
        let object = try jsonObject(info.stdout)
        let engineID = try String(contentsOfFile: daemon.root + "/engine-id", encoding: .utf8)
        #expect(object["ID"] as? String == engineID.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(object["OSType"] as? String == "linux")
        #expect(object["DockerRootDir"] as? String == daemon.root)
        #expect(object["Driver"] as? String == "cove-overlay")
        #expect((object["NCPU"] as? Int ?? 0) >= 1)
        #expect((object["MemTotal"] as? Int ?? 0) > 0)
        #expect(object["ServerVersion"] as? String == server["Version"] as? String)

        let plain = try ExternalCommand.run(
            docker, ["-H", host, "info"], environment: dockerEnvironment(daemon.scratch))
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Storage Driver: cove-overlay"))
    }

    @Test(.dockerSDK)
    func pythonSDKPingsAndNegotiates() throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let script = """
            import docker
            c = docker.DockerClient(base_url='unix://\(daemon.socket)')
            print(c.ping(), c.version()['ApiVersion'], c.info()['OSType'])
            """
        let result = try ExternalCommand.python(script)
        #expect(result.status == 0, "\(result.stderr)\n\(daemon.log)")
        #expect(result.stdout == "True 1.43 linux\n")
    }
}
