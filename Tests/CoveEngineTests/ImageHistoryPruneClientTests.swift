import CoveCore
import Foundation
import Testing

/// `history` and `prune` driven by the real docker CLI against `cove daemon`, and by the built
/// `cove` binary on a temporary root (each daemon stopped at the end, by its own pid).
@Suite(.serialized, .timeLimit(.minutes(2))) struct ImageHistoryPruneClientTests {
    typealias Scratch = DaemonAutoStartTests.Scratch

    /// A rootfs tar holding `text` in `directory`; returns its path.
    func makeTar(in directory: String, named name: String, text: String) throws -> String {
        let rootfs = directory + "/" + name
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/greeting"))
        let tar = directory + "/" + name + ".tar"
        let made = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(rootfs)' -cf '\(tar)' ."])
        #expect(made.status == 0, "\(made.stderr)")
        return tar
    }

    /// The lines of `text` parsed as JSON objects.
    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// The names of the blobs left in a daemon root's content store.
    func blobs(_ root: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root + "/content/blobs/sha256")) ?? []
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func dockerCLIHistoryAndPrune() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let binary = try #require(DaemonProcess.binary, "cove binary not found beside the tests; run swift build")
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.waitUntilServing()
        let environment: [String: String?] = [
            "DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_HOST": nil, "DOCKER_CONTEXT": nil,
            "DOCKER_API_VERSION": nil, "DOCKER_TLS_VERIFY": nil, "DOCKER_CERT_PATH": nil,
        ]
        func run(_ arguments: [String]) throws -> ExternalCommand.Result {
            try ExternalCommand.run(docker, ["-H", "unix://" + daemon.socket] + arguments, environment: environment)
        }
        func importTar(_ tar: String, _ arguments: String) throws -> String {
            let imported = try ExternalCommand.run(
                "/bin/sh", ["-c", "cat '\(tar)' | '\(docker)' -H 'unix://\(daemon.socket)' import \(arguments)"],
                environment: environment)
            #expect(imported.status == 0, "\(imported.stderr)\n\(daemon.log)")
            return imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let id = try importTar(try makeTar(in: daemon.scratch, named: "one", text: "one\n"), "-m 'first cut' - myimg:1")
        let shortID = String(id.dropFirst(7).prefix(12))

        let table = try run(["history", "myimg:1"])
        #expect(table.status == 0, "\(table.stderr)\n\(daemon.log)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table.stdout)")
        #expect(lines.first?.hasPrefix("IMAGE          CREATED") == true, "\(table.stdout)")
        #expect(lines.last?.hasPrefix(shortID + "   ") == true && lines.last?.hasSuffix("first cut") == true)

        let theirs = try run(["history", "--format", "{{json .}}", "myimg:1"])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let ours = try ExternalCommand.run(
            binary, ["image", "history", "--format", "json", "myimg:1"],
            environment: ["COVE_ROOT": daemon.root, "COVE_HOST": "unix://" + daemon.socket, "DOCKER_HOST": nil])
        #expect(ours.status == 0, "\(ours.stderr)")
        func key(_ row: [String: Any]) -> String {
            ["ID", "CreatedBy", "Size", "Comment", "CreatedAt"].map { row[$0] as? String ?? "?" }
                .joined(separator: " | ")
        }
        let theirRows = try jsonLines(theirs.stdout)
        let ourRows = try jsonLines(ours.stdout)
        #expect(ourRows.map(key) == theirRows.map(key), "cove:\n\(ours.stdout)\ndocker:\n\(theirs.stdout)")
        // Read at two moments, "Less than a second ago" may have become "1 second ago".
        for row in ourRows + theirRows { #expect((row["CreatedSince"] as? String)?.hasSuffix(" ago") == true) }
        #expect(theirRows.first?["CreatedBy"] as? String == "cove import")
        let full = try run(["history", "--no-trunc", "--format", "{{.ID}}", "myimg:1"])
        #expect(full.stdout == id + "\n", "\(full.stdout)")

        let danglingID = try importTar(try makeTar(in: daemon.scratch, named: "two", text: "two\n"), "-")
        #expect(danglingID != id && blobs(daemon.root).count == 6)
        let dangling = try run(["image", "prune", "-f"])
        #expect(dangling.status == 0, "\(dangling.stderr)\n\(daemon.log)")
        #expect(dangling.stdout.hasPrefix("Deleted Images:\ndeleted: \(danglingID)\n\n"), "\(dangling.stdout)")
        #expect(dangling.stdout.contains("Total reclaimed space: "), "\(dangling.stdout)")
        #expect(dangling.stdout.hasSuffix("kB\n"), "\(dangling.stdout)")
        #expect(blobs(daemon.root).count == 3)
        #expect(try run(["image", "ls", "-q"]).stdout == shortID + "\n")

        let all = try run(["image", "prune", "-a", "-f"])
        #expect(all.status == 0, "\(all.stderr)\n\(daemon.log)")
        #expect(all.stdout.hasPrefix("Deleted Images:\nuntagged: myimg:1\ndeleted: \(id)\n\n"), "\(all.stdout)")
        #expect(blobs(daemon.root).isEmpty, "\(blobs(daemon.root))")
        #expect(FileManager.default.fileExists(atPath: daemon.root + "/content/blobs/sha256"))
        let none = try run(["image", "prune", "-f"])
        #expect(none.status == 0 && none.stdout == "Total reclaimed space: 0B\n", "\(none.stdout)")
    }

    @Test func coveHistoryAndPrune() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let tar = try makeTar(in: scratch.root, named: "one", text: "one\n")
        let imported = try scratch.cove(["image", "import", tar, "myimg:1", "-m", "first cut"])
        #expect(imported.status == 0, "\(imported.stderr)\n\(scratch.log)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shortID = String(id.dropFirst(7).prefix(12))

        let table = try scratch.cove(["image", "history", "myimg:1"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table.stdout)")
        #expect(lines.first?.hasPrefix("IMAGE          CREATED   ") == true, "\(table.stdout)")
        #expect(lines.first?.hasSuffix("   CREATED BY    SIZE      COMMENT") == true, "\(table.stdout)")
        let row = try #require(lines.last)
        #expect(row.hasPrefix(shortID + "   ") && row.contains(" ago   cove import   "), "\(row)")
        #expect(row.hasSuffix("kB    first cut"), "\(row)")

        let json = try scratch.cove(["image", "history", "--format", "json", "--no-trunc", id])
        #expect(json.status == 0, "\(json.stderr)")
        let entry = try #require(try jsonLines(json.stdout).first)
        #expect(entry["ID"] as? String == id)
        #expect(entry["Comment"] as? String == "first cut")
        #expect(Set(entry.keys) == ["Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"])
        let missing = try scratch.cove(["image", "history", "nosuch"])
        #expect(missing.status == 1 && missing.stderr == "error: No such image: nosuch\n", "\(missing.stderr)")

        let dangling = try scratch.cove(["image", "import", try makeTar(in: scratch.root, named: "two", text: "2\n")])
        let danglingID = dangling.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(dangling.status == 0 && danglingID != id, "\(dangling.stderr)")
        let refused = try scratch.cove(["image", "prune"])
        #expect(refused.status == 1 && refused.stderr.contains("not a terminal"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)

        let pruned = try scratch.cove(["image", "prune", "--force"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.hasPrefix("Deleted Images:\ndeleted: \(danglingID)\n\nTotal reclaimed space: "))
        let left = try scratch.cove(["image", "ls", "-q"])
        #expect(left.stdout == shortID + "\n", "\(left.stdout)")

        let all = try scratch.cove(["image", "prune", "-a", "-f"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.hasPrefix("Deleted Images:\nuntagged: myimg:1\ndeleted: \(id)\n\n"), "\(all.stdout)")
        #expect(blobs(scratch.root).isEmpty, "\(blobs(scratch.root))")
        let none = try scratch.cove(["image", "prune", "-a", "--force"])
        #expect(none.stdout == "Total reclaimed space: 0B\n", "\(none.stdout)")
    }
}
