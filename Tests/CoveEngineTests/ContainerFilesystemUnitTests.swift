import CoveAPI
import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveEngine

/// The pieces of diff, commit, cp and top that need no container: changes over plain
/// directories, the upper directory as a layer tar, the path-stat header and path lookup, `ps`
/// parsing and the update merge. Whiteouts and opaque directories need root (mknod, trusted
/// xattrs); those checks are skipped, saying so, without it.
@Suite struct ContainerFilesystemUnitTests {
    final class Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cove-fs-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ relative: String, _ text: String = "x") throws {
            let url = URL(fileURLWithPath: path + "/" + relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func directory(_ relative: String) throws {
            try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
        }

        /// Gives `relative` here and in `other` one time (as overlayfs copy-up keeps a directory's).
        func copyAttributes(_ relative: String, to other: String) throws {
            for root in [path, other] {
                try RootedDirectory(path: root).setTimes(RootedPath(relative), 1_600_000_000, 123_456_789)
            }
        }
    }

    var isRoot: Bool { geteuid() == 0 }

    @Test func changesListAdditionsModificationsAndTheirParents() throws {
        let lower = try Scratch()
        let upper = try Scratch()
        try lower.write("etc/passwd", "root")
        try lower.write("usr/bin/tool")
        try upper.write("etc/passwd", "root\nnew")
        try upper.write("usr/bin/added")
        try upper.write("new/dir/file")
        for directory in ["etc", "usr", "usr/bin"] { try lower.copyAttributes(directory, to: upper.path) }
        let changes = try ContainerChanges.compute(upper: upper.path, lowers: [lower.path])
        #expect(
            changes.map { "\($0.kind.letter) \($0.path)" } == [
                "C /etc/passwd", "A /new", "A /new/dir", "A /new/dir/file", "C /usr/bin", "A /usr/bin/added",
            ])
    }

    @Test func runtimeMountPointsAreNotChanges() throws {
        let lower = try Scratch()
        let upper = try Scratch()
        try lower.write("etc/passwd", "root")
        for stub in ["etc/hosts", "etc/hostname", "etc/resolv.conf"] { try upper.write(stub, "") }
        #expect(try ContainerChanges.compute(upper: upper.path, lowers: [lower.path]).isEmpty)
        try upper.write("etc/added")
        let changes = try ContainerChanges.compute(upper: upper.path, lowers: [lower.path])
        #expect(changes.map { "\($0.kind.letter) \($0.path)" } == ["C /etc", "A /etc/added"])
    }

    @Test func changesTurnWhiteoutsAndOpaqueDirectoriesIntoDeletions() throws {
        guard isRoot else { return print("skipped: whiteouts need root (mknod 0/0, trusted xattrs)") }
        let lower = try Scratch()
        let upper = try Scratch()
        try lower.write("etc/gone")
        try lower.write("var/cache/old")
        try upper.directory("etc")
        let root = try RootedDirectory(path: upper.path)
        try root.createNode(RootedPath("etc/gone"), kind: .characterDevice)
        try lower.copyAttributes("etc", to: upper.path)
        try root.createDirectory(RootedPath("var/cache"))
        try root.setExtendedAttribute(
            RootedPath("var/cache"), ExtendedAttribute(name: "trusted.overlay.opaque", value: Array("y".utf8)))
        try upper.write("var/cache/fresh")
        let changes = try ContainerChanges.compute(upper: upper.path, lowers: [lower.path])
        #expect(
            changes.map { "\($0.kind.letter) \($0.path)" } == [
                "C /etc", "D /etc/gone", "C /var", "D /var/cache", "A /var/cache/fresh",
            ])
    }

    /// The entries of a tar file: name, kind and size.
    func entries(_ path: String) throws -> [String] {
        let reader = try ArchiveReader(path: path)
        var names: [String] = []
        while let entry = try reader.next() {
            let target = entry.linkTarget.map { " -> \($0)" } ?? ""
            names.append("\(entry.path) \(entry.kind) \(entry.size)\(target)")
        }
        return names
    }

    @Test func upperDirectoryBecomesALayerWithHardLinksOnce() throws {
        let upper = try Scratch()
        let out = try Scratch()
        try upper.write("app/data", "12345")
        try upper.write("etc/hosts", "")
        try FileManager.default.linkItem(atPath: upper.path + "/app/data", toPath: upper.path + "/app/link")
        try FileManager.default.createSymbolicLink(atPath: upper.path + "/app/sym", withDestinationPath: "/etc/passwd")
        if isRoot {
            let root = try RootedDirectory(path: upper.path)
            try root.createNode(RootedPath("app/removed"), kind: .characterDevice)
            try root.createDirectory(RootedPath("opaque"))
            try root.setExtendedAttribute(
                RootedPath("opaque"), ExtendedAttribute(name: "trusted.overlay.opaque", value: Array("y".utf8)))
        }
        try ContainerCommit.writeLayer(upper: upper.path, to: out.path + "/layer.tar")
        var expected = ["app/ directory 0", "app/data regular 5", "app/link hardlink 0 -> app/data"]
        if isRoot { expected += ["app/.wh.removed regular 0"] }
        expected += ["app/sym symlink 0 -> /etc/passwd", "etc/ directory 0"]
        if isRoot { expected += ["opaque/ directory 0", "opaque/.wh..wh..opq regular 0"] }
        let written = try entries(out.path + "/layer.tar")
        #expect(written == expected)
    }

    @Test func pathStatHeaderRoundTripsWithGoFileModes() throws {
        let directory = ContainerPathStat(
            name: "etc", status: FileStatus(kind: .directory, mode: 0o755, size: 4096, modificationTime: 1_700_000_000),
            linkTarget: "")
        #expect(directory.mode == (1 << 31) | 0o755)
        #expect(directory.isDirectory && !directory.isSymlink)
        let decoded = try #require(ContainerPathStat(headerValue: directory.headerValue))
        #expect(decoded == directory)
        #expect(decoded.mtime == "2023-11-14T22:13:20Z")
        let json = try #require(Data(base64Encoded: directory.headerValue))
        let keys = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any]).keys.sorted()
        #expect(keys == ["linkTarget", "mode", "mtime", "name", "size"])
        let link = ContainerPathStat(name: "l", status: FileStatus(kind: .symlink, mode: 0o777), linkTarget: "/x")
        #expect(link.isSymlink && link.mode == (1 << 27) | 0o777)
        #expect(ContainerPathStat(headerValue: "not base64!") == nil)
    }

    @Test func pathLookupStaysInsideTheRoot() throws {
        let root = try Scratch()
        try root.write("etc/hostname", "box")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/hostlink", withDestinationPath: "/etc")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/up", withDestinationPath: "../../../..")
        let directory = try RootedDirectory(path: root.path)
        let climbing = try #require(try ContainerPathLookup("/../../../etc/hostname", in: directory))
        #expect(climbing.path == RootedPath("etc/hostname") && climbing.name == "hostname")
        let link = try #require(try ContainerPathLookup("/hostlink", in: directory))
        #expect(link.status.kind == .symlink && link.stat.linkTarget == "/etc")
        let through = try #require(try ContainerPathLookup("/hostlink/hostname", in: directory))
        #expect(through.path == RootedPath("etc/hostname"))
        let followed = try #require(try ContainerPathLookup("/up/", in: directory))
        #expect(followed.path.isRoot)
        #expect(try ContainerPathLookup("/hostlink/passwd", in: directory) == nil)
        let contents = try #require(try ContainerPathLookup("/etc/.", in: directory))
        #expect(contents.name == "." && contents.status.kind == .directory)
    }

    @Test func psOutputIsFilteredByPidAndKeepsTheCommandWhole() throws {
        let output = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 10:00 ?        00:00:01 /sbin/init splash
            root         420       1  0 10:01 ?        00:00:00 sleep 600
            root         421     420  0 10:01 ?        00:00:00 sh -c echo a   b

            """
        let table = try ProcessTable.parse(output, pids: [420, 421])
        #expect(table.titles == ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"])
        #expect(table.processes.map { $0.last ?? "" } == ["sleep 600", "sh -c echo a b"])
        #expect(table.processes.first?.count == 8)
        #expect(throws: CoveError.self) { try ProcessTable.parse("USER COMMAND\nroot x\n", pids: []) }
    }

    @Test func updateMergeKeepsOtherFieldsAndSkipsZeros() throws {
        var request = ContainerUpdateRequest()
        request.memory = 64 << 20
        request.cpuShares = 0
        request.pidsLimit = -1
        request.restartPolicy = .init(name: "on-failure", maximumRetryCount: 3)
        let stored = #"{"Cmd":["sleep"],"HostConfig":{"CpuShares":512,"Binds":["/a:/b"]},"Image":"busybox"}"#
        let merged = try ContainerUpdate.merge(request, into: stored)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(merged.utf8)) as? [String: Any])
        let host = try #require(object["HostConfig"] as? [String: Any])
        #expect((host["Memory"] as? NSNumber)?.int64Value == 64 << 20)
        #expect((host["CpuShares"] as? NSNumber)?.int64Value == 512)
        #expect((host["PidsLimit"] as? NSNumber)?.int64Value == 0)
        #expect(host["Binds"] as? [String] == ["/a:/b"])
        #expect((host["RestartPolicy"] as? [String: Any])?["Name"] as? String == "on-failure")
        #expect(object["Image"] as? String == "busybox")
        request.memorySwap = 1 << 20
        #expect(throws: CoveError.self) { try ContainerUpdate.merge(request, into: stored) }
    }
}
