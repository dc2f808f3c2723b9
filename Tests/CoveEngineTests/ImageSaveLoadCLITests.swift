import Foundation
import Testing

/// `cove image save` and `cove image load` as a user runs them, with their own daemon.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ImageSaveLoadCLITests {
    typealias Scratch = DaemonAutoStartTests.Scratch

    @Test func saveToAFileAndThroughAPipeThenLoadBack() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let tar = try TestRootfs.tar(in: scratch.root)
        let imported = try scratch.cove(["image", "import", tar, "round:1"])
        #expect(imported.status == 0, "\(imported.stderr)\n\(scratch.log)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let archive = scratch.root + "/round.tar"
        let saved = try scratch.cove(["image", "save", "-o", archive, "round:1"])
        #expect(saved.status == 0 && saved.stdout.isEmpty, "\(saved.stderr)")
        #expect(try scratch.cove(["image", "rm", "round:1"]).status == 0)
        let loaded = try scratch.cove(["image", "load", "-i", archive])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout == "Loaded image: round:1\n")
        let inspected = try scratch.cove(["image", "inspect", "round:1"])
        #expect(inspected.stdout.contains("\"Id\": \"\(id)\""), "\(inspected.stdout)\(inspected.stderr)")

        let binary = try #require(DaemonProcess.binary)
        let piped = try ExternalCommand.run(
            "/bin/sh", ["-c", "'\(binary)' image save round:1 | '\(binary)' image load -q && echo piped"],
            environment: ["COVE_ROOT": scratch.root, "COVE_HOST": "unix://" + scratch.socket, "DOCKER_HOST": nil],
            timeout: 30)
        #expect(piped.status == 0 && piped.stdout == "piped\n", "\(piped.stdout)\(piped.stderr)")

        let missing = try scratch.cove(["image", "save", "-o", scratch.root + "/missing.tar", "nosuch"])
        #expect(missing.status == 1 && missing.stderr.contains("No such image: nosuch"), "\(missing.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.root).filter { $0.hasPrefix("missing") }
        #expect(left.isEmpty, "\(left)")
        let empty = try scratch.cove(["image", "load", "-i", scratch.root + "/nothing.tar"])
        #expect(empty.status == 1, "\(empty.stderr)")
    }
}
