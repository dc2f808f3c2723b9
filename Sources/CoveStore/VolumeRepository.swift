import CoveCore
import GRDB

/// The engine's volumes and which containers mount them: rows of `volumes` and `volume_mounts`.
/// Every change is one transaction.
public struct VolumeRepository: Sendable {
    public let state: StateStore

    public init(state: StateStore) {
        self.state = state
    }

    /// Records a new volume, or returns the one of that name already recorded (Docker's create
    /// of an existing name answers the existing volume).
    public func create(_ record: VolumeRecord) throws(CoveError) -> (record: VolumeRecord, created: Bool) {
        try state.write("create volume \(record.name)") { db in
            if let existing = try VolumeRecord.fetchOne(db, key: record.name) { return (existing, false) }
            try record.insert(db)
            return (record, true)
        }
    }

    /// All volumes, by name.
    public func list() throws(CoveError) -> [VolumeRecord] {
        try state.read("list volumes") { db in
            try VolumeRecord.order(VolumeRecord.CodingKeys.name).fetchAll(db)
        }
    }

    /// The volume of that name, or nil.
    public func volume(_ name: String) throws(CoveError) -> VolumeRecord? {
        try state.read("read volume \(name)") { db in try VolumeRecord.fetchOne(db, key: name) }
    }

    /// The volume of that name; `notFound` with Docker's message otherwise.
    public func resolve(_ name: String) throws(CoveError) -> VolumeRecord {
        guard let record = try volume(name) else { throw CoveError(.notFound, "get \(name): no such volume") }
        return record
    }

    /// Removes the volume's row; unless `force`, `conflict` (Docker's message) while containers
    /// mount it. Their mount rows go with it. False when it was already gone.
    @discardableResult
    public func delete(_ name: String, force: Bool) throws(CoveError) -> Bool {
        try state.write("delete volume \(name)") { db in
            let users = try Self.users(of: name, in: db)
            if !users.isEmpty, !force {
                throw CoveError(
                    .conflict, "remove \(name): volume is in use - [\(users.joined(separator: ", "))]")
            }
            return try VolumeRecord.deleteOne(db, key: name)
        }
    }

    /// The ids of the containers that mount the volume.
    public func users(of name: String) throws(CoveError) -> [String] {
        try state.read("find users of volume \(name)") { db in try Self.users(of: name, in: db) }
    }

    /// Every volume's users, by volume name (volumes nobody mounts are absent).
    public func usersByVolume() throws(CoveError) -> [String: [String]] {
        try state.read("find volume users") { db in
            Dictionary(grouping: try VolumeMountRecord.fetchAll(db), by: \.volumeName).mapValues {
                $0.map(\.containerID).sorted()
            }
        }
    }

    /// The container's volume mounts, by destination.
    public func mounts(of containerID: String) throws(CoveError) -> [String: String] {
        try state.read("read volume mounts of \(containerID)") { db in
            let rows = try VolumeMountRecord.filter(VolumeMountRecord.CodingKeys.containerID == containerID)
                .fetchAll(db)
            return Dictionary(rows.map { ($0.destination, $0.volumeName) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Every container's volume mounts: container id → destination → volume name.
    public func mountsByContainer() throws(CoveError) -> [String: [String: String]] {
        try state.read("read volume mounts") { db in
            var result: [String: [String: String]] = [:]
            for row in try VolumeMountRecord.fetchAll(db) {
                result[row.containerID, default: [:]][row.destination] = row.volumeName
            }
            return result
        }
    }

    /// Records that the container mounts `volumeName` at `destination` (replacing an earlier row).
    public func recordMount(_ mount: VolumeMountRecord) throws(CoveError) {
        try state.write("record volume mount of \(mount.containerID)") { db in try mount.save(db) }
    }

    static func users(of name: String, in db: Database) throws -> [String] {
        try VolumeMountRecord.filter(VolumeMountRecord.CodingKeys.volumeName == name)
            .order(VolumeMountRecord.CodingKeys.containerID).fetchAll(db).map(\.containerID)
    }
}
