import CoveCore
import Foundation
import Testing

/// `cove image …` as a user runs it: the built binary with `COVE_ROOT` and `COVE_HOST` in a temporary
/// directory, starting its own daemon (stopped by its pid file at the end, even on failure).
@Suite(.serialized, .timeLimit(.minutes(2))) struct ImageCLITests {
    typealias Scratch = DaemonAutoStartTests.Scratch

    /// The lines of `text` parsed as JSON objects.
    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Runs `cove image import - reference extra…` with `tar` on standard input.
    func importFromStdin(_ scratch: Scratch, tar: String, _ arguments: [String]) throws -> ExternalCommand.Result {
        let binary = try #require(DaemonProcess.binary, "cove binary not found beside the tests; run swift build")
        let quoted = ([binary, "image", "import", "-"] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try ExternalCommand.run(
            "/bin/sh", ["-c", "cat '\(tar)' | \(quoted)"],
            environment: ["COVE_ROOT": scratch.root, "COVE_HOST": "unix://" + scratch.socket, "DOCKER_HOST": nil],
            timeout: 30)
    }

    @Test func importListInspectTagAndRemove() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let tar = try TestRootfs.tar(in: scratch.root)
        let layer = Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: tar)))

        let imported = try scratch.cove(["image", "import", tar, "myimg:1"])
        #expect(imported.status == 0, "\(imported.stderr)\n\(scratch.log)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("sha256:") && id.count == 71 && imported.stdout == id + "\n", "\(imported.stdout)")

        let piped = try importFromStdin(scratch, tar: tar, ["piped", "--change", #"CMD ["/run.sh"]"#, "-m", "hello"])
        #expect(piped.status == 0, "\(piped.stderr)\n\(scratch.log)")
        let pipedID = piped.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pipedID.hasPrefix("sha256:") && pipedID.count == 71 && pipedID != id)

        let table = try scratch.cove(["image", "ls"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(table.stdout)")
        #expect(lines.first?.hasPrefix("REPOSITORY   TAG       IMAGE ID       CREATED") == true, "\(table.stdout)")
        #expect(lines.first?.hasSuffix("   SIZE") == true)
        let myRow = try #require(lines.first { $0.hasPrefix("myimg ") })
        #expect(myRow.contains("   1         \(id.dropFirst(7).prefix(12))   "), "\(myRow)")
        #expect(myRow.contains(" ago   ") && myRow.hasSuffix("B"), "\(myRow)")
        #expect(lines.contains { $0.hasPrefix("piped ") && $0.contains(" latest ") })

        let json = try scratch.cove(["image", "ls", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try jsonLines(json.stdout)
        #expect(rows.count == 2)
        let mine = try #require(rows.first { $0["Repository"] as? String == "myimg" })
        #expect(mine["Tag"] as? String == "1")
        #expect(mine["ID"] as? String == String(id.dropFirst(7).prefix(12)))
        #expect(mine["Digest"] as? String == "<none>")
        #expect((mine["CreatedSince"] as? String)?.hasSuffix(" ago") == true)

        let quiet = try scratch.cove(["image", "ls", "-q"])
        let shortID = String(id.dropFirst(7).prefix(12))
        let pipedShortID = String(pipedID.dropFirst(7).prefix(12))
        let quietIDs: [String] = quiet.stdout.split(separator: "\n").map(String.init)
        let expectedIDs: Set<String> = [pipedShortID, shortID]
        #expect(quietIDs.count == 2 && Set(quietIDs) == expectedIDs, "\(quiet.stdout)")
        let filtered = try scratch.cove(["image", "ls", "-q", "--filter", "reference=my*"])
        #expect(filtered.stdout == shortID + "\n", "\(filtered.stdout)\(filtered.stderr)")

        let inspected = try scratch.cove(["image", "inspect", "myimg:1", "piped"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        #expect(inspected.stdout.hasPrefix("[\n    {\n        \""), "\(inspected.stdout)")
        #expect(inspected.stdout.contains("\n        \"Id\": \"\(id)\",\n"))
        #expect(inspected.stdout.hasSuffix("\n    }\n]\n"))
        let objects = try #require(
            try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect((objects.first?["RootFS"] as? [String: Any])?["Layers"] as? [String] == [layer.description])
        #expect(objects.last?["Id"] as? String == pipedID)
        #expect((objects.last?["Config"] as? [String: Any])?["Cmd"] as? [String] == ["/run.sh"])
        #expect(objects.last?["Comment"] as? String == "hello")

        let tagged = try scratch.cove(["image", "tag", "myimg:1", "other/name:2"])
        #expect(tagged.status == 0 && tagged.stdout.isEmpty, "\(tagged.stderr)")
        let tags = try scratch.cove(["image", "inspect", id])
        let tagged2 = try #require(
            try JSONSerialization.jsonObject(with: Data(tags.stdout.utf8)) as? [[String: Any]])
        #expect(tagged2.first?["RepoTags"] as? [String] == ["myimg:1", "other/name:2"])

        let untagged = try scratch.cove(["image", "rm", "other/name:2"])
        #expect(untagged.status == 0, "\(untagged.stderr)")
        #expect(untagged.stdout == "Untagged: other/name:2\n")
        let removed = try scratch.cove(["image", "rm", "myimg:1"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout == "Untagged: myimg:1\nDeleted: \(id)\n", "\(removed.stdout)")
        let left = try scratch.cove(["image", "ls", "--format", "json"])
        #expect(try jsonLines(left.stdout).map { $0["Repository"] as? String } == ["piped"])
    }

    @Test func errorsExitOneAndUsageErrorsExitTwo() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        // started here, so the daemon's start notice is not in the stderr checked below
        #expect(try scratch.cove(["version"]).status == 0, "\(scratch.log)")
        let missing = try scratch.cove(["image", "inspect", "nosuch"])
        #expect(missing.status == 1)
        #expect(missing.stdout == "[]\n")
        #expect(missing.stderr == "error: No such image: nosuch\n", "\(missing.stderr)")
        let removeMissing = try scratch.cove(["image", "rm", "nosuch:1"])
        #expect(removeMissing.status == 1)
        #expect(removeMissing.stderr == "error: No such image: nosuch:1\n", "\(removeMissing.stderr)")
        let tagMissing = try scratch.cove(["image", "tag", "nosuch", "x:1"])
        #expect(tagMissing.status == 1)
        #expect(tagMissing.stderr == "error: No such image: nosuch\n", "\(tagMissing.stderr)")
        let noFile = try scratch.cove(["image", "import", scratch.root + "/absent.tar"])
        #expect(noFile.status == 1)
        #expect(noFile.stderr.hasPrefix("error: open \(scratch.root)/absent.tar: no such file"), "\(noFile.stderr)")
        let notATar = scratch.root + "/empty.tar"
        _ = FileManager.default.createFile(atPath: notATar, contents: Data())
        let empty = try scratch.cove(["image", "import", notATar])
        #expect(empty.status == 1 && empty.stderr.hasPrefix("error: "), "\(empty.stderr)")

        for arguments in [["image", "tag", "only-one"], ["image", "rm"], ["image", "inspect"], ["image", "import"]] {
            let usage = try scratch.cove(arguments)
            #expect(usage.status == 2, "\(arguments): \(usage.stderr)")
            #expect(usage.stdout.isEmpty)
        }
        let badFilter = try scratch.cove(["image", "ls", "--filter", "nonsense"])
        #expect(badFilter.status == 2, "\(badFilter.stderr)")
        let unknownFilter = try scratch.cove(["image", "ls", "--filter", "label=a"])
        #expect(unknownFilter.status == 1 && unknownFilter.stderr.contains("invalid filter 'label'"))

        let help = try scratch.cove(["image", "--help"])
        #expect(help.status == 0)
        for name in [
            "ls, list", "inspect", "tag", "rm, remove, rmi", "import", "load", "save", "history", "prune", "pull",
            "push",
        ] {
            #expect(help.stdout.contains("\n  \(name) "), "\(name) missing from \(help.stdout)")
        }
    }

    @Test(
        .enabled(
            if: ExternalCommand.docker != nil || ExternalCommand.isCI,
            "docker CLI not on PATH (install docker-ce-cli or docker.io); this test fails instead when CI is set"))
    func listingMatchesTheDockerCLI() throws {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH, and CI is set")
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let tar = try TestRootfs.tar(in: scratch.root)
        #expect(try scratch.cove(["image", "import", tar, "one:1"]).status == 0)
        #expect(try scratch.cove(["image", "import", tar, "two", "--change", "USER nobody"]).status == 0)
        #expect(try scratch.cove(["image", "tag", "one:1", "example.com/three/four:5"]).status == 0)

        let ours = try scratch.cove(["image", "ls", "--format", "json"])
        #expect(ours.status == 0, "\(ours.stderr)")
        let theirs = try ExternalCommand.run(
            docker, ["-H", "unix://" + scratch.socket, "image", "ls", "--format", "{{json .}}"],
            environment: [
                "DOCKER_CONFIG": scratch.root + "/docker-config", "DOCKER_HOST": nil, "DOCKER_CONTEXT": nil,
                "DOCKER_API_VERSION": nil,
            ])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        func key(_ row: [String: Any]) -> String {
            ["ID", "Repository", "Tag", "Digest", "Size"].map { row[$0] as? String ?? "?" }.joined(separator: " ")
        }
        let ourRows = try jsonLines(ours.stdout).map(key)
        let theirRows = try jsonLines(theirs.stdout).map(key)
        #expect(ourRows.count == 3)
        #expect(ourRows.sorted() == theirRows.sorted(), "cove:\n\(ours.stdout)\ndocker:\n\(theirs.stdout)")
    }
}

extension ImageCLITests {
    /// A tar of several upload chunks, sent once with `Content-Length` from the file and once with
    /// chunked transfer encoding from stdin, arrives whole both times (the same layer).
    @Test func aLargeTarStreamsFromAFileAndFromStdin() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let rootfs = scratch.root + "/big"
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
        let blob = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        try blob.write(to: URL(fileURLWithPath: rootfs + "/blob"))
        let tar = scratch.root + "/big.tar"
        #expect(try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(rootfs)' -cf '\(tar)' ."]).status == 0)
        let layer = Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: tar)))

        let fromFile = try scratch.cove(["image", "import", tar, "big:file"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)\n\(scratch.log)")
        let fromStdin = try importFromStdin(scratch, tar: tar, ["big:stdin"])
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)\n\(scratch.log)")
        let inspected = try scratch.cove(["image", "inspect", "big:file", "big:stdin"])
        let objects = try #require(
            try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [[String: Any]])
        let layers = objects.map { ($0["RootFS"] as? [String: Any])?["Layers"] as? [String] }
        #expect(layers == [[layer.description], [layer.description]])
    }
}
