import CoveAPI
import CoveCore
import CoveLinux
import CoveStore
import Foundation

/// The volumes, with the `local` driver only: each is a directory `<root>/volumes/<name>/_data`
/// recorded in the state database. A volume is created by `POST /volumes/create` or on first use
/// by a container; one that containers mount is removed only by force.
public final class VolumeService: Sendable {
    let repository: VolumeRepository
    /// `<root>/volumes`.
    let root: String
    /// Where the volumes' create, mount, unmount and destroy events go.
    let events: EventBus

    public init(repository: VolumeRepository, root: String, events: EventBus = EventBus()) throws(CoveError) {
        self.repository = repository
        self.events = events
        self.root = root + "/volumes"
        try Directory.create(self.root, mode: 0o701)
        try removeUnrecorded()
    }

    /// Removes the directories of volumes without a record: a daemon killed while removing a
    /// volume (the record goes first) leaves one, which a new volume of that name must not reuse.
    private func removeUnrecorded() throws(CoveError) {
        let recorded = Set(try repository.list().map(\.name))
        let present = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in present where !recorded.contains(name) { try removeDirectory(name) }
    }

    /// The directory holding the volume's data.
    func dataPath(_ name: String) -> String { "\(root)/\(name)/_data" }

    /// `POST /volumes/create`: a new volume, or the existing one of that name (as Docker). Only
    /// the `local` driver without options exists; an empty name gets a generated one.
    func create(_ request: VolumeCreateRequest) throws(CoveError) -> VolumeRecord {
        let driver = request.driver ?? ""
        guard driver.isEmpty || driver == "local" else {
            throw CoveError(.notFound, "error looking up volume plugin \(driver): plugin \"\(driver)\" not found")
        }
        if let option = (request.driverOpts ?? [:]).keys.sorted().first {
            throw CoveError(.invalidInput, "invalid option key: \"\(option)\": cove's local driver takes no options")
        }
        let name = request.name ?? ""
        return try ensure(name.isEmpty ? ContainerService.newID() : name, labels: request.labels ?? [:]).record
    }

    /// The volume of that name, created (directory and record) when missing.
    func ensure(_ name: String, labels: [String: String]) throws(CoveError) -> (record: VolumeRecord, created: Bool) {
        try VolumeName.check(name)
        let path = dataPath(name)
        let record = VolumeRecord(name: name, labels: labels, createdAt: ContainerService.now(), mountpoint: path)
        let result = try repository.create(record)
        try Directory.create("\(root)/\(name)", mode: 0o701)
        try Directory.create(path, mode: 0o755)
        if result.created { events.emit(.volume, action: "create", id: name, attributes: ["driver": "local"]) }
        return result
    }

    /// `DELETE /volumes/{name}`: the record, then the directory. `conflict` while containers
    /// mount it, unless `force`.
    func remove(_ name: String, force: Bool) throws(CoveError) {
        _ = try repository.resolve(name)
        try repository.delete(name, force: force)
        try removeDirectory(name)
        events.emit(.volume, action: "destroy", id: name, attributes: ["driver": "local"])
    }

    /// `GET /volumes` with Docker's filters: `name` (substring), `label` (`key` or `key=value`),
    /// `driver`, `dangling` (true: mounted by no container).
    func list(filters: [String: [String]]) throws(CoveError) -> [VolumeRecord] {
        for key in filters.keys where !["name", "label", "driver", "dangling"].contains(key) {
            throw CoveError(.invalidInput, "invalid filter '\(key)'")
        }
        let dangling = try Self.boolFilter(filters["dangling"], name: "dangling")
        let users = try repository.usersByVolume()
        return try repository.list().filter { volume in
            if let names = filters["name"], !names.contains(where: { volume.name.contains($0) }) { return false }
            if let drivers = filters["driver"], !drivers.contains(volume.driver) { return false }
            if let labels = filters["label"], !ContainerRoutes.matches(volume.labels, labels) { return false }
            if let dangling, (users[volume.name] == nil) != dangling { return false }
            return true
        }
    }

    /// `POST /volumes/prune`: removes the volumes no container mounts, only anonymous ones unless
    /// the filter `all` is true (Docker ≥ 1.42); filters `label` and `label!`.
    func prune(filters: [String: [String]]) throws(CoveError) -> VolumePruneResponse {
        for key in filters.keys where !["label", "label!", "all"].contains(key) {
            throw CoveError(.invalidInput, "invalid filter '\(key)'")
        }
        let all = try Self.boolFilter(filters["all"], name: "all") ?? false
        let users = try repository.usersByVolume()
        var deleted: [String] = []
        var reclaimed: Int64 = 0
        for volume in try repository.list() where users[volume.name] == nil && (all || volume.isAnonymous) {
            if let labels = filters["label"], !ContainerRoutes.matches(volume.labels, labels) { continue }
            if let labels = filters["label!"], labels.contains(where: { ContainerRoutes.matches(volume.labels, [$0]) })
            {
                continue
            }
            let size = Self.diskUsage(volume.mountpoint)
            do {
                try remove(volume.name, force: false)
            } catch  where error.code == .conflict || error.code == .notFound {
                continue  // mounted meanwhile by a new container, or removed meanwhile
            }
            deleted.append(volume.name)
            reclaimed += size
        }
        return VolumePruneResponse(volumesDeleted: deleted, spaceReclaimed: reclaimed)
    }

    /// The API's form of a volume.
    static func json(_ record: VolumeRecord) -> VolumeJSON {
        VolumeJSON(
            name: record.name, driver: record.driver, mountpoint: record.mountpoint, createdAt: record.createdAt,
            labels: record.labels, options: record.options)
    }

    /// Removes `<root>/volumes/<name>` without following any symlink the container left in it.
    private func removeDirectory(_ name: String) throws(CoveError) {
        try RootedDirectory(path: root).removeAll(RootedPath(name))
    }

    /// Bytes the files under `path` take (symlinks not followed).
    static func diskUsage(_ path: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        while let name = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }

    /// `true`/`1` or `false`/`0`; nil when the filter is absent.
    static func boolFilter(_ values: [String]?, name: String) throws(CoveError) -> Bool? {
        guard let value = values?.last else { return nil }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw CoveError(.invalidInput, "invalid filter '\(name)=\(value)'")
        }
    }
}
