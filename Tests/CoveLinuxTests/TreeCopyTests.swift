import CoveCore
import CoveLinux
import Foundation
import Testing

/// TreeCopy fills a directory from a path inside another root, as a new volume is filled from
/// its image; symlinks are copied, never followed out of either root (no root needed).
@Suite final class TreeCopyTests {
    let directory: String
    var source: String { directory + "/rootfs" }

    init() throws {
        directory = NSTemporaryDirectory() + "cove-treecopy-test-" + UUID().uuidString
        let manager = FileManager.default
        try manager.createDirectory(atPath: source + "/data/sub", withIntermediateDirectories: true)
        try Data("alpha".utf8).write(to: URL(fileURLWithPath: source + "/data/a.txt"))
        try Data("beta".utf8).write(to: URL(fileURLWithPath: source + "/data/sub/b"))
        try manager.setAttributes([.posixPermissions: 0o640], ofItemAtPath: source + "/data/a.txt")
        try manager.setAttributes([.posixPermissions: 0o750], ofItemAtPath: source + "/data")
        try manager.createSymbolicLink(atPath: source + "/data/passwd", withDestinationPath: "/etc/passwd")
        try manager.createSymbolicLink(atPath: source + "/data/up", withDestinationPath: "../../../..")
        try manager.linkItem(atPath: source + "/data/a.txt", toPath: source + "/data/sub/a-again")
        try manager.createSymbolicLink(atPath: source + "/alias", withDestinationPath: "/data")
        try manager.createSymbolicLink(atPath: source + "/hostetc", withDestinationPath: "/etc")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func freshTarget(_ name: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func copiesFilesModesAndSymlinksAsTheyAre() throws {
        let target = try freshTarget("volume")
        #expect(try TreeCopy.copyContents(of: "/data", inside: source, into: RootedDirectory(path: target)))
        let manager = FileManager.default
        #expect(try String(contentsOfFile: target + "/a.txt", encoding: .utf8) == "alpha")
        #expect(try String(contentsOfFile: target + "/sub/b", encoding: .utf8) == "beta")
        #expect(try manager.attributesOfItem(atPath: target + "/a.txt")[.posixPermissions] as? Int == 0o640)
        #expect(try manager.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o750)
        #expect(try manager.destinationOfSymbolicLink(atPath: target + "/passwd") == "/etc/passwd")
        #expect(try manager.destinationOfSymbolicLink(atPath: target + "/up") == "../../../..")
        let first = try manager.attributesOfItem(atPath: target + "/a.txt")[.systemFileNumber] as? Int
        let second = try manager.attributesOfItem(atPath: target + "/sub/a-again")[.systemFileNumber] as? Int
        #expect(first != nil && first == second)
        let sourceTime = try manager.attributesOfItem(atPath: source + "/data/sub/b")[.modificationDate] as? Date
        #expect(try manager.attributesOfItem(atPath: target + "/sub/b")[.modificationDate] as? Date == sourceTime)
    }

    @Test func aSymlinkedMountPointResolvesInsideTheRoot() throws {
        let viaAlias = try freshTarget("alias")
        #expect(try TreeCopy.copyContents(of: "/alias", inside: source, into: RootedDirectory(path: viaAlias)))
        #expect(FileManager.default.fileExists(atPath: viaAlias + "/a.txt"))
        // `/hostetc` points at `/etc`, which inside this root does not exist: nothing is copied,
        // and the host's /etc is never read.
        let viaHost = try freshTarget("host")
        #expect(try !TreeCopy.copyContents(of: "/hostetc", inside: source, into: RootedDirectory(path: viaHost)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: viaHost).isEmpty)
        let missing = try freshTarget("missing")
        #expect(try !TreeCopy.copyContents(of: "/nothing/here", inside: source, into: RootedDirectory(path: missing)))
    }
}
