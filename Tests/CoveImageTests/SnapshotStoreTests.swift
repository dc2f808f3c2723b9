import CoveCore
import CoveImage
import CoveLinux
import Foundation
import Testing

/// Layer unpacking into snapshots and overlayfs mounts of them, for real: mknod, trusted.*
/// xattrs and mount need root, so these skip (saying why) without it. Each test works in a
/// scratch directory it removes, and unmounts what it mounted even when it fails.
@Suite final class SnapshotStoreTests {
    let directory: String
    let content: ContentStore
    let fixtures: LayerFixtures
    static let isRoot = geteuid() == 0

    init() throws {
        directory = NSTemporaryDirectory() + "cove-snapshot-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        content = try ContentStore(root: URL(fileURLWithPath: directory + "/content"))
        fixtures = LayerFixtures(directory: directory, content: content)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func store(limits: ArchiveReader.Limits = SnapshotStore.standardLimits) throws -> SnapshotStore {
        try SnapshotStore(root: directory + "/snapshots", limits: limits)
    }

    func status(_ path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw CoveError(.notFound, "\(path) is missing") }
        return info
    }

    func xattr(_ name: String, _ path: String) throws -> [UInt8]? { try ExtendedAttribute.read(name, of: path)?.value }

    /// A file capability of CAP_NET_RAW, as setcap writes it (VFS_CAP_REVISION_2, effective).
    static let netRaw: [UInt8] = [1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    static let base: [(ArchiveEntry, [UInt8])] = [
        (ArchiveEntry(path: "./", kind: .directory, mode: 0o755), []),
        (ArchiveEntry(path: "bin/", kind: .directory, mode: 0o755, modificationTime: 1_600_000_000), []),
        (
            ArchiveEntry(
                path: "bin/ping", kind: .regular, mode: 0o4755, modificationTime: 1_600_000_001,
                modificationNanoseconds: 250_000_000,
                xattrs: [
                    ExtendedAttribute(name: "security.capability", value: netRaw),
                    ExtendedAttribute(name: "user.origin", value: Array("layer0".utf8)),
                    ExtendedAttribute(name: "trusted.overlay.redirect", value: Array("/etc".utf8)),
                ]),
            Array("#!ping".utf8)
        ),
        (ArchiveEntry(path: "bin/ping6", kind: .hardlink, linkTarget: "bin/ping"), []),
        (ArchiveEntry(path: "bin/sh", kind: .symlink, linkTarget: "/bin/busybox", uid: 3, gid: 4), []),
        (ArchiveEntry(path: "dev/null", kind: .characterDevice, mode: 0o666, deviceMajor: 1, deviceMinor: 3), []),
        (ArchiveEntry(path: "dev/loop0", kind: .blockDevice, mode: 0o660, gid: 6, deviceMajor: 7, deviceMinor: 0), []),
        (ArchiveEntry(path: "run/fifo", kind: .fifo, mode: 0o620, uid: 1000, gid: 1000), []),
        (ArchiveEntry(path: "tmp/", kind: .directory, mode: 0o1777), []),
        (ArchiveEntry(path: "home/user/", kind: .directory, mode: 0o2750, uid: 1000, gid: 1001), []),
        (ArchiveEntry(path: "home/user/notes", kind: .regular, mode: 0o600, uid: 1000, gid: 1001), Array("hello".utf8)),
        (ArchiveEntry(path: "gone.txt", kind: .regular), Array("deleted above".utf8)),
        (ArchiveEntry(path: "d/", kind: .directory, mode: 0o755), []),
        (ArchiveEntry(path: "d/old.txt", kind: .regular), Array("hidden above".utf8)),
    ]

    static let top: [(ArchiveEntry, [UInt8])] = [
        (ArchiveEntry(path: ".wh.gone.txt", kind: .regular), []),
        (ArchiveEntry(path: "d/", kind: .directory, mode: 0o750), []),
        (ArchiveEntry(path: "d/.wh..wh..opq", kind: .regular), []),
        (ArchiveEntry(path: "d/new.txt", kind: .regular), Array("new".utf8)),
        (ArchiveEntry(path: "bin/ping-again", kind: .hardlink, linkTarget: "/bin/ping"), []),
    ]

    @Test(.enabled(if: isRoot, "needs root: mknod, trusted.* xattrs and mount"))
    func layersUnpackInOverlayFormatAndMountMerged() async throws {
        let store = try store()
        let base = try fixtures.layer(Self.base, compression: .gzip)
        let top = try fixtures.layer(Self.top, compression: .zstd)
        let (manifest, config) = fixtures.image([base, top])
        let snapshots = try await store.prepare(manifest: manifest, config: config, content: content)
        #expect(snapshots.map(\.chainID) == ChainID.chain([base.diffID, top.diffID]))
        #expect(snapshots.map(\.unpackedNow) == [true, true])
        let lower = snapshots[0].path
        let upperLayer = snapshots[1].path
        #expect(lower == directory + "/snapshots/\(base.diffID.hex)/fs")

        let ping = try status(lower + "/bin/ping")
        #expect(ping.st_mode & 0o7777 == 0o4755)
        #expect(ping.st_mtim.tv_sec == 1_600_000_001 && ping.st_mtim.tv_nsec == 250_000_000)
        #expect(ping.st_nlink == 3, "ping6 in this layer and ping-again in the next link to it")
        #expect(try xattr("security.capability", lower + "/bin/ping") == Self.netRaw)
        #expect(try xattr("user.origin", lower + "/bin/ping") == Array("layer0".utf8))
        #expect(try xattr("trusted.overlay.redirect", lower + "/bin/ping") == nil, "overlay's own xattrs are dropped")
        #expect(try status(lower + "/bin/ping6").st_ino == ping.st_ino)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: lower + "/bin/sh") == "/bin/busybox")
        #expect(try status(lower + "/bin/sh").st_uid == 3)
        let null = try status(lower + "/dev/null")
        #expect(null.st_mode & S_IFMT == S_IFCHR && null.st_rdev == 0x103 && null.st_mode & 0o777 == 0o666)
        let loop = try status(lower + "/dev/loop0")
        #expect(loop.st_mode & S_IFMT == S_IFBLK && loop.st_rdev == 0x700 && loop.st_gid == 6)
        let fifo = try status(lower + "/run/fifo")
        #expect(fifo.st_mode & S_IFMT == S_IFIFO && fifo.st_uid == 1000 && fifo.st_mode & 0o777 == 0o620)
        #expect(try status(lower + "/tmp").st_mode & 0o7777 == 0o1777)
        let home = try status(lower + "/home/user")
        #expect(home.st_mode & 0o7777 == 0o2750 && home.st_uid == 1000 && home.st_gid == 1001)
        #expect(
            try status(lower + "/bin").st_mtim.tv_sec == 1_600_000_000, "directory times are set after their contents")

        let whiteout = try status(upperLayer + "/gone.txt")
        #expect(whiteout.st_mode & S_IFMT == S_IFCHR && whiteout.st_rdev == 0)
        #expect(try xattr("trusted.overlay.opaque", upperLayer + "/d") == Array("y".utf8))
        #expect(!FileManager.default.fileExists(atPath: upperLayer + "/.wh.gone.txt"))
        #expect(try status(upperLayer + "/bin/ping-again").st_ino == ping.st_ino, "a hard link into a lower layer")

        let merged = directory + "/merged"
        let upper = directory + "/upper"
        let work = directory + "/work"
        for path in [merged, upper, work] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try store.mount(snapshots, upper: upper, work: work, target: merged)
        defer { try? OverlayMount.unmount(merged, detach: true) }
        #expect(OverlayMount.isMountPoint(merged))
        #expect(!FileManager.default.fileExists(atPath: merged + "/gone.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: merged + "/d") == ["new.txt"])
        #expect(FileManager.default.contents(atPath: merged + "/bin/ping-again") == Data("#!ping".utf8))
        #expect(FileManager.default.contents(atPath: merged + "/home/user/notes") == Data("hello".utf8))
        try Data("written".utf8).write(to: URL(fileURLWithPath: merged + "/tmp/new"))
        #expect(FileManager.default.contents(atPath: upper + "/tmp/new") == Data("written".utf8))
        #expect(!FileManager.default.fileExists(atPath: lower + "/tmp/new"), "snapshots stay unchanged")
        try OverlayMount.unmount(merged)
        #expect(!OverlayMount.isMountPoint(merged))
    }

    @Test(.enabled(if: isRoot, "needs root: mknod, trusted.* xattrs"))
    func concurrentPullsOfImagesSharingALayerUnpackItOnce() async throws {
        let store = try store()
        let shared = try fixtures.layer(Self.base)
        let first = try fixtures.layer([(ArchiveEntry(path: "first", kind: .regular), Array("1".utf8))])
        let second = try fixtures.layer([(ArchiveEntry(path: "second", kind: .regular), Array("2".utf8))])
        let one = fixtures.image([shared, first])
        let two = fixtures.image([shared, second])
        let content = self.content
        async let a = store.prepare(manifest: one.0, config: one.1, content: content)
        async let b = store.prepare(manifest: two.0, config: two.1, content: content)
        let (snapshotsA, snapshotsB) = try await (a, b)
        #expect(snapshotsA[0].path == snapshotsB[0].path)
        #expect([snapshotsA[0].unpackedNow, snapshotsB[0].unpackedNow].filter { $0 }.count == 1)
        #expect(snapshotsA[1].unpackedNow && snapshotsB[1].unpackedNow)
        let again = try await store.prepare(manifest: one.0, config: one.1, content: content)
        #expect(again.map(\.unpackedNow) == [false, false])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/snapshots/ingest").isEmpty)
    }

    @Test(
        .enabled(if: isRoot, "needs root: unpacking sets owners"), arguments: [ArchiveWriter.Compression.none, .gzip])
    func emptyLayerUnpacksToAnEmptySnapshot(compression: ArchiveWriter.Compression) async throws {
        let empty = try fixtures.layer([], compression: compression)
        let (manifest, config) = fixtures.image([empty])
        let snapshots = try await store().prepare(manifest: manifest, config: config, content: content)
        #expect(try FileManager.default.contentsOfDirectory(atPath: snapshots[0].path).isEmpty)
    }

    @Test func staleIngestsAreRemovedUnlessTheirChainIsLocked() throws {
        let store = try store()
        let stale = Digest.sha256(of: Array("stale".utf8)).hex
        let busy = Digest.sha256(of: Array("busy".utf8)).hex
        let ingest = directory + "/snapshots/ingest"
        for name in ["\(stale).crashed", "\(busy).running"] {
            try FileManager.default.createDirectory(
                atPath: "\(ingest)/\(name)/fs/etc", withIntermediateDirectories: true)
        }
        let held = try FileLock.acquire(path: directory + "/snapshots/locks/\(busy).lock")
        #expect(held != nil)
        #expect(try store.removeStaleIngests() == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ingest) == ["\(busy).running"])
        withExtendedLifetime(held) {}
    }

    /// cove-layer-helper, built beside the test bundle.
    static var helper: String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("cove-layer-helper").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    @Test(.enabled(if: isRoot, "needs root: unpacking sets owners"))
    func twoProcessesUnpackASharedLayerOnce() throws {
        guard let helper = Self.helper else {
            Issue.record("cove-layer-helper not found beside the tests (\(CommandLine.arguments[0]))")
            return
        }
        let tar = directory + "/shared.tar"
        let writer = try ArchiveWriter(path: tar)
        for index in 0..<3000 {
            try writer.write(
                ArchiveEntry(path: "files/\(index)", kind: .regular), data: Array(repeating: 1, count: 4096))
        }
        try writer.finish()
        var processes: [(Process, Pipe)] = []
        for _ in 0..<2 {
            let process = Process()
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: helper)
            process.arguments = [directory + "/shared-root", tar]
            process.standardOutput = output
            try process.run()
            processes.append((process, output))
        }
        var outcomes: [String] = []
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            outcomes.append(String(text.split(separator: " ").first ?? ""))
        }
        #expect(outcomes.sorted() == ["exists", "unpacked"])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/shared-root/snapshots")
        #expect(files.filter { Digest.isSHA256Hex($0) }.count == 1)
    }
}
