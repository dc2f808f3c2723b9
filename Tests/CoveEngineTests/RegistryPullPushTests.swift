import Foundation
import Testing

/// Pull, push and login against Debian's docker-registry on a loopback port, driven by the real
/// docker CLI, docker-py and the cove CLI, each against its own isolated cove daemon.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: RegistryFixtures.available, RegistryFixtures.skipReason))
struct RegistryPullPushTests {
    typealias Kit = RegistryFixtures

    /// Runs `body` with a registry and two fresh daemons, all stopped and removed afterwards.
    func withRegistry(
        user: String? = nil, password: String = "",
        _ body: (RegistryProcess, DaemonProcess, DaemonProcess) throws -> Void
    ) throws {
        let registry = try RegistryProcess(user: user, password: password)
        defer { registry.cleanUp() }
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        let second = try DaemonProcess()
        defer { second.cleanUp() }
        try first.waitUntilServing()
        try second.waitUntilServing()
        try body(registry, first, second)
    }

    /// The `sha256:…` after `prefix` in `text`.
    func digest(after prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        return String(text[range.upperBound...].prefix(71))
    }

    @Test func dockerAndCovePushAndPullThroughAPlainRegistry() throws {
        try withRegistry { registry, first, second in
            let tar = try Kit.rootfsTar(in: first.scratch)
            let name = "\(registry.address)/test/busybox"
            let id = try Kit.seed(first, "\(name):1", tar: tar)

            let pushed = try Kit.docker(first, ["push", "\(name):1"])
            #expect(pushed.status == 0, "\(pushed.stderr)\n\(first.log)\n\(registry.log)")
            #expect(pushed.stdout.contains("The push refers to repository [\(name)]"), "\(pushed.stdout)")
            #expect(pushed.stdout.contains(": Pushed"), "\(pushed.stdout)")
            let pushedDigest = try #require(digest(after: "1: digest: ", in: pushed.stdout), "\(pushed.stdout)")

            let repeated = try Kit.docker(first, ["push", "\(name):1"])
            #expect(repeated.status == 0, "\(repeated.stderr)")
            #expect(repeated.stdout.contains(": Layer already exists"), "\(repeated.stdout)")

            let pulled = try Kit.docker(second, ["pull", "\(name):1"])
            #expect(pulled.status == 0, "\(pulled.stderr)\n\(second.log)")
            #expect(pulled.stdout.contains("1: Pulling from test/busybox"), "\(pulled.stdout)")
            #expect(pulled.stdout.contains(": Pull complete"), "\(pulled.stdout)")
            #expect(pulled.stdout.contains("Digest: \(pushedDigest)"), "\(pulled.stdout)")
            #expect(pulled.stdout.contains("Status: Downloaded newer image for \(name):1"), "\(pulled.stdout)")
            #expect(try Kit.inspect(second, "\(name):1", "{{.Id}}") == id)
            #expect(try Kit.inspect(second, "\(name):1", "{{json .RepoDigests}}") == "[\"\(name)@\(pushedDigest)\"]")

            let again = try Kit.docker(second, ["pull", "\(name):1"])
            #expect(again.status == 0 && again.stdout.contains("Status: Image is up to date for \(name):1"))

            // A second repository on the same registry: the layer is mounted, not uploaded again.
            let copy = "\(registry.address)/copy/busybox:2"
            #expect(try Kit.docker(second, ["tag", "\(name):1", copy]).status == 0)
            let mounted = try Kit.cove(second, ["image", "push", copy])
            #expect(mounted.status == 0, "\(mounted.stderr)\n\(second.log)")
            #expect(mounted.stdout.contains("Mounted from test/busybox"), "\(mounted.stdout)")
            #expect(mounted.stdout.contains("2: digest: \(pushedDigest)"), "\(mounted.stdout)")

            let byDigest = try Kit.cove(first, ["image", "pull", "\(registry.address)/copy/busybox@\(pushedDigest)"])
            #expect(byDigest.status == 0, "\(byDigest.stderr)\n\(first.log)")
            #expect(byDigest.stdout.contains("Digest: \(pushedDigest)"), "\(byDigest.stdout)")
            #expect(
                try Kit.inspect(first, id, "{{json .RepoDigests}}")?.contains(
                    "\(registry.address)/copy/busybox@\(pushedDigest)")
                    == true)

            let missing = try Kit.docker(second, ["pull", "\(registry.address)/test/nothere:1"])
            #expect(missing.status != 0)
            #expect(
                missing.stderr.contains("manifest for \(registry.address)/test/nothere:1 not found: manifest unknown"),
                "\(missing.stderr)")
            let absent = try Kit.cove(second, ["image", "push", "\(registry.address)/test/nothere:1"])
            #expect(absent.status == 1)
            #expect(absent.stderr.contains("An image does not exist locally with the tag"), "\(absent.stderr)")
        }
    }

    @Test(.dockerSDK)
    func dockerPySDKPullsAndPushes() throws {
        try withRegistry { registry, first, second in
            let tar = try Kit.rootfsTar(in: first.scratch)
            let id = try Kit.seed(first, "\(registry.address)/py/src:1", tar: tar)
            let script = """
                import docker, json, sys
                first = docker.DockerClient(base_url='unix://\(first.socket)')
                second = docker.DockerClient(base_url='unix://\(second.socket)')
                lines = list(first.images.push('\(registry.address)/py/src', tag='1', stream=True, decode=True))
                errors = [l for l in lines if 'error' in l]
                assert not errors, errors
                digest = [l['aux']['Digest'] for l in lines if 'aux' in l][0]
                image = second.images.pull('\(registry.address)/py/src', tag='1')
                print(image.id, digest, json.dumps(image.attrs['RepoDigests']))
                """
            let result = try ExternalCommand.python(script, timeout: 120)
            #expect(result.status == 0, "\(result.stderr)\n\(first.log)\n\(second.log)")
            let words = result.stdout.split(separator: " ", maxSplits: 2).map(String.init)
            #expect(words.count == 3, "\(result.stdout)")
            #expect(words.first == id)
            if words.count == 3 {
                #expect(words[2].contains("\(registry.address)/py/src@\(words[1])"), "\(result.stdout)")
            }
        }
    }

    @Test func anHtpasswdRegistryNeedsALogin() throws {
        try withRegistry(user: "user", password: "s3cret") { registry, first, second in
            let tar = try Kit.rootfsTar(in: first.scratch)
            let reference = "\(registry.address)/private/busybox:1"
            let id = try Kit.seed(first, reference, tar: tar)

            let anonymous = try Kit.docker(first, ["push", reference])
            #expect(anonymous.status != 0)
            #expect(anonymous.stderr.contains("no basic auth credentials"), "\(anonymous.stderr)")

            let wrong = try Kit.docker(
                first, ["login", registry.address, "-u", "user", "--password-stdin"], stdin: "nope")
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("unauthorized"), "\(wrong.stderr)")
            let right = try Kit.docker(
                first, ["login", registry.address, "-u", "user", "--password-stdin"], stdin: "s3cret")
            #expect(right.status == 0, "\(right.stderr)\n\(first.log)")
            #expect(right.stdout.contains("Login Succeeded"))
            let pushed = try Kit.docker(first, ["push", reference])
            #expect(pushed.status == 0, "\(pushed.stderr)\n\(first.log)")

            let config = second.scratch + "/cove-login"
            let badLogin = try Kit.cove(
                second, ["login", registry.address, "-u", "user", "-p", "nope"], config: config)
            #expect(badLogin.status == 1)
            #expect(badLogin.stderr.contains("unauthorized"), "\(badLogin.stderr)")
            #expect(!FileManager.default.fileExists(atPath: config + "/config.json"))
            let unauthorizedPull = try Kit.cove(second, ["image", "pull", reference], config: config)
            #expect(unauthorizedPull.status == 1)
            #expect(unauthorizedPull.stderr.contains("no basic auth credentials"), "\(unauthorizedPull.stderr)")

            let login = try Kit.cove(
                second, ["login", registry.address, "-u", "user", "--password-stdin"], config: config, stdin: "s3cret\n"
            )
            #expect(login.status == 0, "\(login.stderr)\n\(second.log)")
            #expect(login.stdout == "Login Succeeded\n")
            let mode = try FileManager.default.attributesOfItem(atPath: config + "/config.json")[.posixPermissions]
            #expect((mode as? NSNumber)?.intValue == 0o600)
            let pulled = try Kit.cove(second, ["image", "pull", reference], config: config)
            #expect(pulled.status == 0, "\(pulled.stderr)\n\(second.log)")
            #expect(try Kit.inspect(second, reference, "{{.Id}}") == id)

            if ExternalCommand.pythonDockerSDK {
                // docker-py sends its auth_config as X-Registry-Auth.
                let copy = "\(registry.address)/py/copy"
                #expect(try Kit.docker(second, ["tag", reference, "\(copy):1"]).status == 0)
                let script = """
                    import docker
                    client = docker.DockerClient(base_url='unix://\(second.socket)')
                    lines = list(client.images.push('\(copy)', tag='1', stream=True, decode=True,
                                                    auth_config={'username': 'user', 'password': 's3cret'}))
                    assert not [l for l in lines if 'error' in l], lines
                    print([l['status'] for l in lines if l.get('status', '').startswith('Mounted from')])
                    """
                let pushedByPy = try ExternalCommand.python(script, timeout: 120)
                #expect(pushedByPy.status == 0, "\(pushedByPy.stderr)\n\(second.log)")
                #expect(pushedByPy.stdout.contains("Mounted from private/busybox"), "\(pushedByPy.stdout)")
            }

            let logout = try Kit.cove(second, ["logout", registry.address], config: config)
            #expect(logout.stdout == "Removing login credentials for \(registry.address)\n")
            let afterLogout = try Kit.cove(second, ["image", "push", reference], config: config)
            #expect(afterLogout.status == 1)
            #expect(afterLogout.stderr.contains("no basic auth credentials"), "\(afterLogout.stderr)")
        }
    }
}
