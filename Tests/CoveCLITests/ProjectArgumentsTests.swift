import ArgumentParser
import Testing

@testable import CoveCLI

/// Project flags written before a Compose command reach it; other commands keep their own
/// short flags (`image rm -f` is force, not a compose file).
@Suite struct ProjectArgumentsTests {
    @Test func leadingProjectFlagsMoveBehindComposeCommands() {
        #expect(
            ProjectArguments.reordered(["-f", "a.yaml", "-p", "demo", "config", "--services"])
                == ["config", "-f", "a.yaml", "-p", "demo", "--services"])
        #expect(
            ProjectArguments.reordered(["--host", "unix:///s", "--file=a.yaml", "graph"])
                == ["--host", "unix:///s", "graph", "--file=a.yaml"])
        #expect(ProjectArguments.reordered(["config", "-f", "a.yaml"]) == ["config", "-f", "a.yaml"])
        #expect(ProjectArguments.reordered(["-f", "a.yaml", "image", "ls"]) == ["-f", "a.yaml", "image", "ls"])
        #expect(ProjectArguments.reordered(["image", "rm", "-f", "x"]) == ["image", "rm", "-f", "x"])
    }

    @Test func composeCommandsGetTheFilesAndImageRemoveGetsForce() throws {
        let config = try CoveCommand.parseAsRoot(
            ProjectArguments.reordered(["-f", "a.yaml", "-f", "b.yaml", "config"]))
        #expect((config as? ConfigCommand)?.project.files == ["a.yaml", "b.yaml"])
        let remove = try CoveCommand.parseAsRoot(ProjectArguments.reordered(["image", "rm", "-f", "busybox"]))
        #expect(remove is ImageRemoveCommand)
        #expect(throws: (any Error).self) {
            try CoveCommand.parseAsRoot(ProjectArguments.reordered(["-f", "a.yaml", "image", "ls"]))
        }
    }
}
