import Foundation
import Testing

/// `cove container top/diff/cp/export/commit/update` and `run --env-file` against an isolated
/// daemon, as a user types them.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ContainerFilesCLITests {
    func cove(_ daemon: ContainerDaemon, _ arguments: [String]) throws -> ExternalCommand.Result {
        let binary = try #require(DaemonProcess.binary)
        return try ExternalCommand.run(
            binary, ["container"] + arguments,
            environment: ["COVE_HOST": daemon.host, "COVE_ROOT": daemon.daemon.root, "DOCKER_HOST": nil])
    }

    @Test func coveCommandsCopyDiffCommitUpdateAndReadEnvFiles() throws {
        guard let daemon = try ContainerDaemon.start() else { return }
        defer { daemon.cleanUp() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cove-files-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data("# settings\nGREETING=hello from file\n".utf8).write(to: URL(fileURLWithPath: scratch + "/app.env"))
        let started = try cove(
            daemon, ["run", "-d", "--name", "box", "--env-file", scratch + "/app.env", "busybox", "sleep", "600"])
        #expect(started.status == 0, "\(started.stderr)\n\(daemon.daemon.log)")
        let env = try daemon.run(["exec", "box", "sh", "-c", "echo $GREETING"])
        #expect(env.stdout == "hello from file\n")

        let top = try cove(daemon, ["top", "box"])
        #expect(top.status == 0 && top.stdout.contains("sleep 600"), "\(top.stdout)\(top.stderr)")

        try Data("copied\n".utf8).write(to: URL(fileURLWithPath: scratch + "/note.txt"))
        let copyIn = try cove(daemon, ["cp", scratch + "/note.txt", "box:/tmp/note.txt"])
        #expect(copyIn.status == 0, "\(copyIn.stderr)")
        let diff = try cove(daemon, ["diff", "box"])
        #expect(diff.stdout.split(separator: "\n").contains("A /tmp/note.txt"), "\(diff.stdout)\(diff.stderr)")
        let copyOut = try cove(daemon, ["cp", "box:/tmp/note.txt", scratch + "/back.txt"])
        #expect(copyOut.status == 0, "\(copyOut.stderr)")
        #expect(try String(contentsOfFile: scratch + "/back.txt", encoding: .utf8) == "copied\n")

        let export = try cove(daemon, ["export", "-o", scratch + "/box.tar", "box"])
        #expect(export.status == 0, "\(export.stderr)")
        let note = try ExternalCommand.run("/bin/tar", ["-xOf", scratch + "/box.tar", "tmp/note.txt"])
        #expect(note.stdout == "copied\n")

        let update = try cove(daemon, ["update", "--memory", "80m", "box"])
        #expect(update.status == 0 && update.stdout == "box\n", "\(update.stderr)")
        let memory = try daemon.run(["inspect", "-f", "{{.HostConfig.Memory}}", "box"])
        #expect(memory.stdout == "\(80 << 20)\n")

        let commit = try cove(daemon, ["commit", "-c", "CMD cat /tmp/note.txt", "box", "noted:1"])
        #expect(commit.status == 0 && commit.stdout.hasPrefix("sha256:"), "\(commit.stderr)")
        let run = try cove(daemon, ["run", "--rm", "noted:1"])
        #expect(run.stdout == "copied\n", "\(run.stderr)")
    }
}
