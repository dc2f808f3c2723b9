import CoveCore
import CoveImage
import CoveLinux
import Foundation
import Testing

/// Hostile layers: each is rejected, or neutralised so that what it writes lands inside its
/// snapshot. Either way nothing outside the snapshot directory changes, and a rejected layer
/// leaves no snapshot and no ingest directory behind. Needs root (unpacking keeps owners and
/// makes device nodes), so it skips without it.
@Suite(.enabled(if: geteuid() == 0, "needs root: unpacking sets owners and makes whiteout devices"))
final class HostileLayerTests {
    let directory: String
    let outside: String
    let content: ContentStore
    let fixtures: LayerFixtures
    let store: SnapshotStore

    init() throws {
        directory = NSTemporaryDirectory() + "cove-hostile-test-" + UUID().uuidString
        outside = directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside + "/secret"))
        content = try ContentStore(root: URL(fileURLWithPath: directory + "/content"))
        fixtures = LayerFixtures(directory: directory, content: content)
        let limits = ArchiveReader.Limits(maximumBytes: 1 << 20, maximumEntries: 1000, maximumNameLength: 4096)
        store = try SnapshotStore(root: directory + "/snapshots", limits: limits)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Unpacks one layer; checks the outside directory is untouched whatever happens.
    func unpack(_ layer: LayerFixtures.Layer, diffID: Digest? = nil) async throws -> Result<Snapshot, CoveError> {
        var layer = layer
        if let diffID { layer.diffID = diffID }
        let (manifest, config) = fixtures.image([layer])
        let result: Result<Snapshot, CoveError>
        do {
            result = .success(try await store.prepare(manifest: manifest, config: config, content: content)[0])
        } catch {
            result = .failure(error)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret"])
        #expect(FileManager.default.contents(atPath: outside + "/secret") == Data("secret".utf8))
        var info = stat()
        #expect(lstat(outside + "/secret", &info) == 0 && info.st_nlink == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/snapshots/ingest").isEmpty)
        if case .failure = result {
            #expect(!store.contains(layer.diffID), "a rejected layer leaves no snapshot")
        }
        return result
    }

    func rejected(_ result: Result<Snapshot, CoveError>) -> CoveError? {
        guard case .failure(let error) = result else {
            Issue.record("the layer was accepted")
            return nil
        }
        return error
    }

    func accepted(_ result: Result<Snapshot, CoveError>) -> Snapshot? {
        guard case .success(let snapshot) = result else {
            Issue.record("the layer was rejected: \(result)")
            return nil
        }
        return snapshot
    }

    @Test func dotDotAndAbsoluteNamesLandInsideTheSnapshot() async throws {
        let climbing = String(repeating: "../", count: 12) + "evil"
        let layer = try fixtures.layer(
            raw: RawTar.entry(climbing, data: Array("x".utf8))
                + RawTar.entry(outside + "/absolute", data: Array("y".utf8))
                + RawTar.entry("a/../../b", data: Array("z".utf8)) + RawTar.end)
        let snapshot = try #require(accepted(try await unpack(layer)))
        #expect(FileManager.default.contents(atPath: snapshot.path + "/evil") == Data("x".utf8))
        #expect(FileManager.default.contents(atPath: snapshot.path + outside + "/absolute") == Data("y".utf8))
        #expect(FileManager.default.contents(atPath: snapshot.path + "/b") == Data("z".utf8))
    }

    @Test func fileWrittenThroughAnAbsoluteSymlinkDoesNotLeave() async throws {
        let layer = try fixtures.layer(
            raw: RawTar.entry("escape", type: "2", link: outside) + RawTar.entry("escape/pwned", data: Array("x".utf8))
                + RawTar.end)
        switch try await unpack(layer) {
        case .success(let snapshot):
            #expect(FileManager.default.contents(atPath: snapshot.path + outside + "/pwned") == Data("x".utf8))
        case .failure(let error):
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("\"escape/pwned\""), "the error names the entry")
        }
    }

    @Test func fileWrittenThroughAClimbingSymlinkStaysInside() async throws {
        let layer = try fixtures.layer(
            raw: RawTar.entry("up", type: "2", link: String(repeating: "../", count: 12))
                + RawTar.entry("up" + outside + "/secret", data: Array("overwritten".utf8)) + RawTar.end)
        let snapshot = try #require(accepted(try await unpack(layer)))
        #expect(FileManager.default.contents(atPath: snapshot.path + outside + "/secret") == Data("overwritten".utf8))
    }

    @Test func symlinkReplacedByAFileIsNotWrittenThrough() async throws {
        let layer = try fixtures.layer(
            raw: RawTar.entry("target", type: "2", link: outside + "/secret")
                + RawTar.entry("target", data: Array("replaced".utf8)) + RawTar.end)
        let snapshot = try #require(accepted(try await unpack(layer)))
        var info = stat()
        #expect(lstat(snapshot.path + "/target", &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
    }

    @Test(arguments: ["/outside/secret", "../../../../../../../../../../outside/secret", "FULL"])
    func hardLinkToAPathOutsideIsRejected(target: String) async throws {
        let link = target == "FULL" ? outside + "/secret" : target
        let layer = try fixtures.layer(raw: RawTar.entry("stolen", type: "1", link: link) + RawTar.end)
        let error = try #require(rejected(try await unpack(layer)))
        #expect(error.message.contains("hard link"))
        #expect(error.message.contains("\"stolen\""), "the error names the entry")
    }

    @Test func layerWhoseBytesDoNotMatchItsDescriptorIsRejected() async throws {
        let layer = try fixtures.layer([(ArchiveEntry(path: "file", kind: .regular), Array("good".utf8))])
        var shorter = layer
        shorter.descriptor.size -= 1
        let sized = try #require(rejected(try await unpack(shorter)))
        #expect(sized.message.contains("does not match its descriptor"))

        let other = try fixtures.layer([(ArchiveEntry(path: "file", kind: .regular), Array("evil".utf8))])
        let blob = content.url(for: layer.descriptor.digest)
        try FileManager.default.removeItem(at: blob)
        try FileManager.default.copyItem(at: content.url(for: other.descriptor.digest), to: blob)
        var swapped = layer
        swapped.descriptor.size = other.descriptor.size
        let error = try #require(rejected(try await unpack(swapped, diffID: other.diffID)))
        #expect(error.message.contains("does not match its descriptor"))
        #expect(error.message.contains(other.descriptor.digest.description))
    }

    @Test(arguments: [ArchiveWriter.Compression.none, .gzip])
    func layerWhoseDiffIDDoesNotMatchTheConfigIsRejected(compression: ArchiveWriter.Compression) async throws {
        let layer = try fixtures.layer(
            [(ArchiveEntry(path: "file", kind: .regular), Array("good".utf8))], compression: compression)
        let error = try #require(rejected(try await unpack(layer, diffID: Digest.sha256(of: Array("other".utf8)))))
        #expect(error.message.contains("does not match the image config"))
    }

    @Test(arguments: [ArchiveWriter.Compression.none, .gzip])
    func truncatedLayerIsRejected(compression: ArchiveWriter.Compression) async throws {
        let whole = try fixtures.layer(
            [(ArchiveEntry(path: "big", kind: .regular), (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })],
            compression: compression)
        let bytes = try Data(contentsOf: content.url(for: whole.descriptor.digest))
        let cut = try content.write(bytes.prefix(bytes.count / 2))
        var truncated = whole
        truncated.descriptor.digest = cut.digest
        truncated.descriptor.size = cut.size
        let error = try #require(rejected(try await unpack(truncated)))
        #expect(error.code == .invalidInput)
        #expect(error.description.lowercased().contains("truncated") || error.description.contains("\"big\""))
    }

    @Test func decompressionBombBeyondTheLimitIsRejected() async throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let layer = try fixtures.layer([(ArchiveEntry(path: "bomb", kind: .regular), zeros)], compression: .zstd)
        #expect(layer.descriptor.size < 4096, "4 MiB of zeros compress to almost nothing")
        let error = try #require(rejected(try await unpack(layer)))
        #expect(error.message.contains("decompression bomb"))
    }
}
