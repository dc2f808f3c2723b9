import CoveCore
import Foundation
import Testing

@testable import CoveCLI

/// The pure parts of `cove container cp`, `commit`, `update` and `--env-file`.
@Suite struct ContainerFilesCommandTests {
    @Test func envFilesFollowDockersFormat() throws {
        let text = "\u{FEFF}# a comment\n\n  KEY=value with  spaces \nQUOTED=\"kept\"\r\nFROM_HOST\nUNSET\nEMPTY=\n"
        let entries = try EnvFile.parse(text, name: "x.env", environment: ["FROM_HOST": "host value"])
        #expect(entries == ["KEY=value with  spaces ", "QUOTED=\"kept\"", "FROM_HOST=host value", "EMPTY="])
        #expect(throws: CoveError.self) { try EnvFile.parse("BAD KEY=1\n", name: "x.env", environment: [:]) }
        #expect(throws: CoveError.self) { try EnvFile.parse("=novalue\n", name: "x.env", environment: [:]) }
    }

    @Test func envFilesComeBeforeEnvFlagsInTheCreateRequest() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cove-env-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("A=from-file\nB=2\n".utf8).write(to: URL(fileURLWithPath: file))
        let options = try ContainerCreateOptions.parse(["--env-file", file, "-e", "A=from-flag", "busybox"])
        #expect(try options.request(autoRemove: false).env == ["A=from-file", "B=2", "A=from-flag"])
        let missing = try ContainerCreateOptions.parse(["--env-file", file + ".none", "busybox"])
        #expect(throws: CoveError.self) { try missing.request(autoRemove: false) }
    }

    @Test func copyArgumentsSplitLikeDockers() {
        #expect(CopyEndpoint("box:/etc/passwd") == .container("box", "/etc/passwd"))
        #expect(CopyEndpoint("/abs/with:colon") == .host("/abs/with:colon"))
        #expect(CopyEndpoint("./rel:colon") == .host("./rel:colon"))
        #expect(CopyEndpoint("plain") == .host("plain"))
        #expect(CopyEndpoint("-") == .host("-"))
    }

    @Test func commitReferencesKeepARegistryPort() {
        #expect(ContainerCommitCommand.split("made:v1") == ("made", "v1"))
        #expect(ContainerCommitCommand.split("localhost:5000/made") == ("localhost:5000/made", nil))
        #expect(ContainerCommitCommand.split("localhost:5000/made:2") == ("localhost:5000/made", "2"))
    }

    @Test func updateFlagsBecomeTheRequest() throws {
        let parsed = try CoveCommand.parseAsRoot([
            "container", "update", "--memory", "64m", "--cpus", "0.5", "--pids-limit=-1", "--restart", "on-failure:3",
            "box",
        ])
        let command = try #require(parsed as? ContainerUpdateCommand)
        let request = try command.request()
        #expect(request.memory == 64 << 20)
        #expect(request.nanoCpus == 500_000_000)
        #expect(request.pidsLimit == -1)
        #expect(request.restartPolicy?.name == "on-failure" && request.restartPolicy?.maximumRetryCount == 3)
        let bad = try #require(
            try CoveCommand.parseAsRoot(["container", "update", "--restart", "sometimes", "b"])
                as? ContainerUpdateCommand)
        #expect(throws: CoveError.self) { try bad.request() }
    }
}
