import CoveLinux
import Foundation
import Testing

/// What the crash tests share: killing a daemon, starting the next one on its root, and checking
/// the root it finds: nothing left in ingest, every blob whole, the image there whole or absent.
enum CrashRecovery {
    /// The names in `directory` (none when it does not exist).
    static func files(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// Kills `daemon` with SIGKILL and waits for it and for `client` (the command it was serving).
    static func kill(_ daemon: DaemonProcess, servingFor client: Process) throws {
        try Signal.kill.send(to: daemon.pid)
        _ = daemon.waitForExit(seconds: 10)
        client.waitUntilExit()
    }

    /// Starts a daemon on `root` and checks its state after a crash: no ingest file, the images
    /// listed by the docker CLI either none or exactly `[id]`, every blob hashing to its name.
    static func restartAndCheck(root: String, docker: String, expecting id: String, after moment: String) throws
        -> DaemonProcess
    {
        let next = try DaemonProcess(root: root)
        try next.waitUntilServing()
        let ingest = files(root + "/content/ingest")
        #expect(ingest.isEmpty, "ingest files left after \(moment): \(ingest)")
        let listed = try ExternalCommand.run(
            docker, ["-H", "unix://" + next.socket, "image", "ls", "-q", "--no-trunc"],
            environment: ["DOCKER_CONFIG": next.scratch + "/docker-config", "DOCKER_HOST": nil])
        let images = listed.stdout.split(separator: "\n").map(String.init)
        #expect(images.isEmpty || images == [id], "after \(moment): \(images)")
        let blobs = root + "/content/blobs/sha256"
        let check = try ExternalCommand.run(
            "/bin/sh",
            ["-c", "cd '\(blobs)' && [ -z \"$(ls)\" ] || for f in *; do echo \"$f  $f\"; done | sha256sum -c --quiet"],
            timeout: 120)
        #expect(check.status == 0, "a blob does not hash to its name after \(moment): \(check.stdout)\(check.stderr)")
        return next
    }
}
