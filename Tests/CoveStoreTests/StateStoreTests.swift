import CoveCore
import Foundation
import GRDB
import Testing

@testable import CoveStore

@Suite struct StateStoreTests {
    @Test func migratesAnEmptyDatabase() throws {
        try StoreFixture.with { fixture in
            #expect(try fixture.state.schemaVersion() == StateStore.currentSchemaVersion)
            #expect(try fixture.state.journalMode() == "wal")
            #expect(try fixture.state.integrityProblems().isEmpty)
            let tables = try fixture.state.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            #expect(tables.contains("images") && tables.contains("image_references") && tables.contains("image_layers"))
            let pragmas = try fixture.state.pool.read { db in
                (
                    try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous")
                )
            }
            #expect(pragmas.0 == 1)
            #expect(pragmas.1 == 2)  // FULL
        }
    }

    @Test func reopensWithItsDataAndRunsNoMigrationTwice() throws {
        try StoreFixture.with { fixture in
            let registration = try fixture.makeImage(seed: 1, references: ["busybox"])
            try fixture.images.register(registration)
            for _ in 0..<3 {
                let reopened = try StoreFixture(root: fixture.root)
                #expect(try reopened.state.schemaVersion() == StateStore.currentSchemaVersion)
                let applied = try reopened.state.pool.read { db in
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                }
                #expect(applied == ["v1", "v2", "v3-volumes"])
                #expect(try reopened.images.resolve("busybox").id == registration.id)
            }
        }
    }

    @Test func refusesADatabaseFromANewerCoveByVersion() throws {
        try StoreFixture.with { fixture in
            try fixture.state.pool.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
            let error = #expect(throws: CoveError.self) { try StateStore(root: fixture.root) }
            #expect(error?.code == .invalidInput)
            #expect(error?.description.contains("schema version 99") == true)
            #expect(error?.description.contains("newer cove") == true)
        }
    }

    @Test func refusesADatabaseWithAnUnknownMigration() throws {
        try StoreFixture.with { fixture in
            try fixture.state.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')")
            }
            let error = #expect(throws: CoveError.self) { try StateStore(root: fixture.root) }
            #expect(error?.description.contains("newer cove") == true)
        }
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cove-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: root.appendingPathComponent(StateStore.fileName))
        let error = #expect(throws: CoveError.self) { try StateStore(root: root) }
        #expect(error?.description.contains(StateStore.fileName) == true)
    }

    @Test func readersSeeCommittedSnapshotsWhileAWriterRuns() async throws {
        let fixture = try StoreFixture()
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let registrations = try (0..<60).map { seed in try fixture.makeImage(seed: seed, layers: 3) }
        let images = fixture.images
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for registration in registrations { try images.register(registration) }
                return registrations.count
            }
            for _ in 0..<4 {
                group.addTask {
                    var reads = 0
                    var last = 0
                    while last < registrations.count {
                        let listed = try images.list()
                        // Each snapshot is whole: never fewer images than before, every one complete.
                        #expect(listed.count >= last)
                        #expect(listed.allSatisfy { $0.layers.count == 3 })
                        last = listed.count
                        reads += 1
                    }
                    return reads
                }
            }
            var total = 0
            for try await count in group { total += count }
            #expect(total > registrations.count)
        }
        #expect(try fixture.images.list().count == registrations.count)
    }
}
