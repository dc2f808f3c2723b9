import Foundation
import Testing

/// `kill -9` of the daemon in the middle of a `docker pull` from Debian's docker-registry: after a
/// restart the engine holds the whole image or none of it, every blob hashes to its name, nothing
/// is left in ingest, and the same pull then succeeds.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: RegistryFixtures.available, RegistryFixtures.skipReason))
struct PullCrashTests {
    typealias Kit = RegistryFixtures

    @Test func aKilledPullLeavesAWholeImageOrNone() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH")
        let registry = try RegistryProcess()
        defer { registry.cleanUp() }
        let source = try DaemonProcess()
        defer { source.cleanUp() }
        try source.waitUntilServing()

        let big = source.scratch + "/big"
        let made = try ExternalCommand.run(
            "/bin/sh",
            [
                "-c",
                "mkdir -p '\(big)' && head -c 96M /dev/urandom > '\(big)/data' && tar -C '\(big)' -cf '\(big).tar' .",
            ],
            timeout: 120)
        #expect(made.status == 0, "\(made.stderr)")
        let name = "\(registry.address)/crash/big:1"
        let id = try Kit.seed(source, name, tar: big + ".tar")
        let pushed = try Kit.docker(source, ["push", name])
        try #require(pushed.status == 0, "\(pushed.stderr)\n\(source.log)")

        let first = try DaemonProcess()
        defer { first.cleanUp() }
        try first.waitUntilServing()
        let ingest = first.root + "/content/ingest"
        var daemon = first
        var restarted: [DaemonProcess] = []
        defer { for other in restarted { other.cleanUp() } }
        for delay in [0.0, 0.3] {
            let pull = Process()
            pull.executableURL = URL(fileURLWithPath: docker)
            pull.arguments = ["-H", "unix://" + daemon.socket, "pull", "-q", name]
            var environment = ProcessInfo.processInfo.environment
            environment["DOCKER_CONFIG"] = daemon.scratch + "/docker-config"
            environment["DOCKER_HOST"] = nil
            pull.environment = environment
            pull.standardOutput = FileHandle.nullDevice
            pull.standardError = FileHandle.nullDevice
            try pull.run()
            defer { if pull.isRunning { pull.terminate() } }
            let deadline = ContinuousClock.now + .seconds(60)
            while CrashRecovery.files(ingest).isEmpty && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.002)
            }
            #expect(!CrashRecovery.files(ingest).isEmpty, "the pull never started writing a blob")
            Thread.sleep(forTimeInterval: delay)
            try CrashRecovery.kill(daemon, servingFor: pull)
            let next = try CrashRecovery.restartAndCheck(
                root: first.root, docker: docker, expecting: id, after: "a kill \(delay) s into the pull")
            restarted.append(next)
            daemon = next
        }
        let again = try Kit.docker(daemon, ["pull", name])
        #expect(again.status == 0, "\(again.stderr)\n\(daemon.log)")
        #expect(try Kit.inspect(daemon, name, "{{.Id}}") == id)
    }
}
