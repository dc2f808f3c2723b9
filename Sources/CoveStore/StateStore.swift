import CoveCore
import Foundation
import GRDB

/// The engine's state database: `<root>/state.db`, SQLite in WAL mode, opened through a GRDB
/// `DatabasePool` (one writer, concurrent readers that never wait for it).
///
/// Opening runs the numbered migrations of `StateSchema`, each in its own transaction, and refuses
/// a database written by a newer Cove. Connections use `synchronous=FULL`: in WAL mode that costs
/// one fsync of the log per commit, and buys durability on power loss as well as on `kill -9`
/// (NORMAL already survives a killed process, but may lose the last commits on power loss). The
/// engine commits rarely — an image registered, a container created — and each commit records a
/// change before its effects on disk start, so the record must not be lost when the effects are
/// not. Foreign keys are enforced on every connection.
///
/// The daemon is the only writer; one daemon per root is enforced by its pid-file lock. Safe to
/// use from many tasks at once.
public final class StateStore: Sendable {
    /// The database's file name inside the root.
    public static let fileName = "state.db"

    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (creating when needed) `<root>/state.db` and brings its schema up to date.
    public init(root: URL) throws(CoveError) {
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw CoveError(.io, "cannot create the state directory \(root.path)", cause: "\(error)")
        }
        path = root.appendingPathComponent(StateStore.fileName, isDirectory: false).path
        var configuration = Configuration()
        configuration.label = "cove.state"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let databasePath = path
        do {
            pool = try DatabasePool(path: databasePath, configuration: configuration)
        } catch {
            throw CoveError(
                .io, "cannot open the state database \(databasePath): is it a cove state database?",
                cause: "\(error)")
        }
        try migrate()
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    public func schemaVersion() throws(CoveError) -> Int {
        try read("read the schema version") { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    /// The schema version this build writes.
    public static var currentSchemaVersion: Int { StateSchema.currentVersion }

    /// The journal mode in effect, `wal` once open.
    public func journalMode() throws(CoveError) -> String {
        try read("read the journal mode") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Runs SQLite's `integrity_check` and `foreign_key_check`; an empty list means the database is
    /// sound, otherwise each line describes one problem.
    public func integrityProblems() throws(CoveError) -> [String] {
        try read("check the database") { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let rows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            for row in rows {
                let table: String = row[0] ?? "?"
                let rowID: Int64? = row[1]
                let parent: String = row[2] ?? "?"
                problems.append("\(table) row \(rowID.map(String.init) ?? "?") references a missing \(parent) row")
            }
            return problems
        }
    }

    /// Runs `body` in a read-only snapshot of the database.
    func read<T>(_ what: String, _ body: (Database) throws -> T) throws(CoveError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw storeError(error, what)
        }
    }

    /// Runs `body` in one write transaction: all of it is committed, or none of it.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(CoveError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw storeError(error, what)
        }
    }

    /// A `CoveError` passes through; a database error becomes one naming the database and the step.
    func storeError(_ error: any Error, _ what: String) -> CoveError {
        if let error = error as? CoveError { return error }
        return CoveError(.io, "state database \(path): cannot \(what)", cause: "\(error)")
    }

    private func migrate() throws(CoveError) {
        let databasePath = path
        do {
            try pool.read { db in try StateSchema.checkNotNewer(db, path: databasePath) }
            try StateSchema.migrator.migrate(pool)
        } catch {
            throw storeError(error, "migrate the schema to version \(StateSchema.currentVersion)")
        }
    }
}
