import CoveCore
import GRDB

/// The schema of the engine's state database and the migrations that build it.
///
/// Migrations are numbered (`v1`, `v2`, …), each runs once in its own transaction, and each ends by
/// setting `PRAGMA user_version` to its number, so the version is readable with any SQLite tool.
/// Released migrations are never edited: a change to the schema is a new migration appended here.
/// A database whose version is higher than `currentVersion` was written by a newer Cove and is
/// refused, never migrated down or written to.
enum StateSchema {
    /// The schema version this build of Cove writes.
    static let currentVersion = 3

    /// The numbered migrations, oldest first. Their identifiers are `v<number>`, with a
    /// name after it from v3 on (`v3-volumes`).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try createImageTables(db)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2") { db in
            try createContainerTable(db)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3-volumes") { db in
            try createVolumeTables(db)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        return migrator
    }

    /// v1: images, their tags and references, and their layers.
    ///
    /// - `images`: one row per image, keyed by its id, the digest of its config blob. The config
    ///   itself stays in the content store under that digest; the manifest is there too.
    /// - `image_references`: `name:tag` and `name@digest` references, each naming one image. An
    ///   image cannot be deleted while a reference names it (`RESTRICT`): it must be untagged first,
    ///   as in Docker.
    /// - `image_layers`: the layers of an image in order, deleted with their image (`CASCADE`).
    private static func createImageTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE images (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 71 AND id LIKE 'sha256:%'),
                    manifest_digest TEXT NOT NULL CHECK (manifest_digest LIKE 'sha256:%'),
                    manifest_media_type TEXT NOT NULL,
                    created TEXT,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    registered_at TEXT NOT NULL
                ) STRICT;
                CREATE TABLE image_references (
                    reference TEXT PRIMARY KEY NOT NULL,
                    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE RESTRICT ON UPDATE RESTRICT,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX image_references_by_image ON image_references(image_id);
                CREATE TABLE image_layers (
                    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    position INTEGER NOT NULL CHECK (position >= 0),
                    diff_id TEXT NOT NULL CHECK (diff_id LIKE 'sha256:%'),
                    blob_digest TEXT NOT NULL CHECK (blob_digest LIKE 'sha256:%'),
                    media_type TEXT NOT NULL,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    PRIMARY KEY (image_id, position)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX image_layers_by_blob ON image_layers(blob_digest);
                CREATE INDEX images_by_manifest ON images(manifest_digest);
                """)
    }

    /// v2: containers.
    ///
    /// - `containers`: one row per container, keyed by its 64-hex-digit id; `name` is unique
    ///   (without Docker's leading `/`). `image_id` names the image whose snapshots hold its root;
    ///   it is not a foreign key, because `docker rmi -f` may untag an image a container uses, and
    ///   image deletion checks this table itself. `config` is the create request as JSON (Docker's
    ///   `Config` and `HostConfig`); the other columns are the state the daemon last observed.
    private static func createContainerTable(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE containers (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 64),
                    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                    image_id TEXT NOT NULL CHECK (image_id LIKE 'sha256:%'),
                    image_name TEXT NOT NULL,
                    config TEXT NOT NULL,
                    status TEXT NOT NULL,
                    pid INTEGER NOT NULL DEFAULT 0,
                    exit_code INTEGER NOT NULL DEFAULT 0,
                    oom_killed INTEGER NOT NULL DEFAULT 0,
                    error TEXT NOT NULL DEFAULT '',
                    created_at TEXT NOT NULL,
                    started_at TEXT NOT NULL DEFAULT '',
                    finished_at TEXT NOT NULL DEFAULT ''
                ) STRICT;
                CREATE INDEX containers_by_image ON containers(image_id);
                """)
    }

    /// Refuses a database written by a newer Cove: a `user_version` above `currentVersion`, or a
    /// migration this build does not know.
    static func checkNotNewer(_ db: Database, path: String) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let superseded = try migrator.hasBeenSuperseded(db)
        guard version <= currentVersion, !superseded else {
            throw CoveError(
                .invalidInput,
                "the state database \(path) has schema version \(version), newer than version \(currentVersion) "
                    + "that this cove understands: it was written by a newer cove; upgrade cove, or use another --root")
        }
    }
}
