import GRDB

extension StateSchema {
    /// v3: volumes and the containers that mount them.
    ///
    /// - `volumes`: one row per volume, keyed by its name; `labels` and `options` are JSON objects,
    ///   `mountpoint` the directory holding its data (`<root>/volumes/<name>/_data`).
    /// - `volume_mounts`: which container mounts which volume where. A row goes with its container
    ///   (`CASCADE`); a volume removed by force takes its rows with it, and the container's next
    ///   start mounts a volume of that name again (created anew).
    static func createVolumeTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE volumes (
                    name TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),
                    driver TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    options TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    mountpoint TEXT NOT NULL
                ) STRICT;
                CREATE TABLE volume_mounts (
                    container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
                    destination TEXT NOT NULL,
                    volume_name TEXT NOT NULL REFERENCES volumes(name) ON DELETE CASCADE,
                    PRIMARY KEY (container_id, destination)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX volume_mounts_by_volume ON volume_mounts(volume_name);
                """)
    }
}
