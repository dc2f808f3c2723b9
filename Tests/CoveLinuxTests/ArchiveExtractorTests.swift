import CoveCore
import CoveLinux
import Foundation
import Testing

/// `docker cp` into a container treats the archive and the container's files as hostile: one
/// test per way out (`../` names, a container symlink to a host directory, a symlink entry
/// followed by a file through it, a hard link to a host file). Runs without root: files get
/// the caller as owner.
@Suite struct ArchiveExtractorTests {
    final class Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cove-x-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A tar of `entries` (regular files get `data` as contents) in `directory`.
    func tar(_ entries: [ArchiveEntry], data: String = "payload", in directory: String) throws -> String {
        let path = directory + "/input.tar"
        let writer = try ArchiveWriter(path: path)
        for entry in entries {
            try writer.write(entry, data: entry.kind == .regular ? Array(data.utf8) : [])
        }
        try writer.finish()
        return path
    }

    func extract(_ tar: String, root: String, into destination: String = "") throws {
        let extractor = ArchiveExtractor(
            root: try RootedDirectory(path: root), destination: RootedPath(destination),
            owner: ProcessIdentity.current)
        try extractor.apply(try ArchiveReader(path: tar))
    }

    @Test func dotDotNamesStayUnderTheDestination() throws {
        let root = try Scratch()
        let work = try Scratch()
        try FileManager.default.createDirectory(atPath: root.path + "/dest", withIntermediateDirectories: true)
        let input = try tar(
            [
                ArchiveEntry(path: "../../../../outside", kind: .regular),
                ArchiveEntry(path: "/abs/file", kind: .regular),
            ], in: work.path)
        try extract(input, root: root.path, into: "dest")
        #expect(FileManager.default.fileExists(atPath: root.path + "/dest/outside"))
        #expect(FileManager.default.fileExists(atPath: root.path + "/dest/abs/file"))
        #expect(!FileManager.default.fileExists(atPath: root.path + "/outside"))
        let parent = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
        #expect(!FileManager.default.fileExists(atPath: parent + "/outside"))
    }

    @Test func aContainerSymlinkToAHostDirectoryIsResolvedInsideTheRoot() throws {
        let root = try Scratch()
        let host = try Scratch()
        let work = try Scratch()
        // The container's `etc` points at a host directory by its absolute host path.
        try FileManager.default.createSymbolicLink(atPath: root.path + "/etc", withDestinationPath: host.path)
        let input = try tar([ArchiveEntry(path: "etc/evil", kind: .regular)], in: work.path)
        _ = try? extract(input, root: root.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/etc/evil"))
    }

    @Test func aSymlinkEntryThenAFileThroughItLandsInside() throws {
        let root = try Scratch()
        let host = try Scratch()
        let work = try Scratch()
        let input = try tar(
            [
                ArchiveEntry(path: "up", kind: .symlink, linkTarget: "../../../../.."),
                ArchiveEntry(path: "up/top", kind: .regular),
                ArchiveEntry(path: "escape", kind: .symlink, linkTarget: host.path),
                ArchiveEntry(path: "escape/file", kind: .regular),
            ], in: work.path)
        _ = try? extract(input, root: root.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: root.path + "/top"))
    }

    @Test func aHardLinkToAHostFileIsRefused() throws {
        let root = try Scratch()
        let work = try Scratch()
        let secret = work.path + "/secret"
        try Data("host secret".utf8).write(to: URL(fileURLWithPath: secret))
        let input = try tar([ArchiveEntry(path: "stolen", kind: .hardlink, linkTarget: secret)], in: work.path)
        #expect(throws: CoveError.self) { try extract(input, root: root.path) }
        #expect(!FileManager.default.fileExists(atPath: root.path + "/stolen"))
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "host secret")
    }

    @Test func noOverwriteDirNonDirRefusesToReplaceADirectory() throws {
        let root = try Scratch()
        let work = try Scratch()
        try FileManager.default.createDirectory(atPath: root.path + "/data", withIntermediateDirectories: true)
        let input = try tar([ArchiveEntry(path: "data", kind: .regular)], in: work.path)
        let extractor = ArchiveExtractor(
            root: try RootedDirectory(path: root.path), destination: RootedPath(""), noOverwriteDirNonDir: true,
            owner: ProcessIdentity.current)
        #expect(throws: CoveError.self) { try extractor.apply(try ArchiveReader(path: input)) }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root.path + "/data", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
    }

    @Test func topNameRenamesTheFirstComponent() throws {
        let root = try Scratch()
        let work = try Scratch()
        let input = try tar(
            [ArchiveEntry(path: "src", kind: .directory, mode: 0o755), ArchiveEntry(path: "src/a", kind: .regular)],
            in: work.path)
        let extractor = ArchiveExtractor(
            root: try RootedDirectory(path: root.path), destination: RootedPath(""), owner: ProcessIdentity.current,
            topName: "renamed")
        try extractor.apply(try ArchiveReader(path: input))
        #expect(try String(contentsOfFile: root.path + "/renamed/a", encoding: .utf8) == "payload")
    }
}
