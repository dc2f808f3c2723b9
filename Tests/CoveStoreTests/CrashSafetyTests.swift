import CoveCore
import CoveImage
import Foundation
import GRDB
import Testing

@testable import CoveStore

/// Kills a process that writes images with SIGKILL at random moments, then checks the store.
@Suite struct CrashSafetyTests {
    /// The helper executable built beside the test bundle.
    static var helper: URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("cove-store-crash-helper")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    @Test func aKilledWriterNeverLeavesAHalfRegisteredImage() throws {
        guard let helper = Self.helper else {
            Issue.record("cove-store-crash-helper not found beside the tests (\(CommandLine.arguments[0]))")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cove-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var random = SeededRandom(state: 0xC0E5_7A7E)
        var survivors = Set<Digest>()
        var registered = 0
        for run in 1...20 {
            let output = root.appendingPathComponent("run-\(run).log")
            try Data().write(to: output)
            let log = try FileHandle(forWritingTo: output)
            let process = Process()
            process.executableURL = helper
            process.arguments = [root.appendingPathComponent("store").path, "\(run)"]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            usleep(UInt32.random(in: 150_000...600_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try log.close()
            let lines = try text(output)
            #expect(process.terminationReason == .uncaughtSignal, "run \(run) ended by itself: \(lines)")
            for line in lines.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard words.count == 2, let id = try? Digest(parsing: String(words[1])) else { continue }
                if words[0] == "registered" {
                    survivors.insert(id)
                    registered += 1
                } else if words[0] == "deleting" {
                    survivors.remove(id)
                }
            }
            let fixture = try StoreFixture(root: root.appendingPathComponent("store"))
            try Self.checkConsistency(fixture, survivors: survivors, run: run)
        }
        #expect(registered >= 20, "the helper registered only \(registered) images in 20 runs")
        let fixture = try StoreFixture(root: root.appendingPathComponent("store"))
        try fixture.images.garbageCollect()
        try fixture.content.removeStaleIngests()
        try Self.checkConsistency(fixture, survivors: survivors, run: 21)
    }

    /// The database is sound, every image has all its rows and blobs and they agree with its
    /// manifest and config, and every image that was reported registered (and not deleted) is there.
    static func checkConsistency(_ fixture: StoreFixture, survivors: Set<Digest>, run: Int) throws {
        #expect(try fixture.state.integrityProblems() == [], "run \(run)")
        #expect(try fixture.state.schemaVersion() == StateStore.currentSchemaVersion)
        let migrations = try fixture.state.pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(migrations == ["v1", "v2", "v3-volumes"], "run \(run)")
        let blobs = Set(try fixture.content.list())
        let missing = try fixture.images.referencedBlobs().subtracting(blobs)
        #expect(missing.isEmpty, "run \(run): rows reference missing blobs \(missing)")
        let images = try fixture.images.list()
        let ids = Set(images.map(\.id))
        #expect(survivors.isSubset(of: ids), "run \(run): lost \(survivors.subtracting(ids))")
        for image in images {
            for blob in image.blobs { try fixture.content.verify(blob) }
            let manifest = try OCIJSON.decode(
                ImageManifest.self, from: fixture.content.read(image.image.manifestDigest), document: "manifest")
            let config = try OCIJSON.decode(ImageConfig.self, from: fixture.content.read(image.id), document: "config")
            #expect(manifest.config.digest == image.id)
            #expect(image.layers.map(\.blobDigest) == manifest.layers.map(\.digest), "run \(run): \(image.id)")
            #expect(image.layers.map(\.size) == manifest.layers.map(\.size))
            #expect(image.layers.map(\.diffID) == config.rootfs.diffIDs)
            #expect(image.layers.map(\.position) == Array(0..<manifest.layers.count))
        }
    }

    private func text(_ file: URL) throws -> String { String(decoding: try Data(contentsOf: file), as: UTF8.self) }
}

/// SplitMix64: a seeded generator, so a failing run can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
