import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import CoveRuntime
import CoveStore
import Dispatch
import Foundation
import Synchronization

/// The containers' lifecycle: each container's root is its image's snapshots mounted as overlayfs
/// with its own upper directory (`<root>/containers/<id>/`), its process runs under a shim that
/// the runtime spawns (state in `<root>/run/<short id>`, short enough for the attach socket's
/// path), and its exit is observed by polling the shim's record and written to the state database.
///
/// A daemon killed with `kill -9` leaves containers running; the next one adopts them
/// (`adoptAll`), and records the exits that happened while it was down.
public final class ContainerService: Sendable {
    let repository: ContainerRepository
    let images: ImageRepository
    let snapshots: ImageSnapshots?
    let runtime: Runtime
    let volumes: VolumeService
    /// `<root>/containers`.
    let containersDirectory: String
    /// `<root>/run`.
    let runDirectory: String
    /// Removed containers' directories, deleted in the background.
    let trash: DirectoryTrash
    /// How often a running container's record is read, at most (more often just after it starts).
    let pollInterval: Duration = .milliseconds(50)
    private let monitored = Mutex<Set<String>>([])
    /// Where the containers' events go.
    public let events: EventBus
    /// Restart counts, user stops and health, beside the database row.
    let lifecycle: ContainerLifecycleStore
    /// Exit codes of containers removed after their exit, for `wait?condition=removed` (the last
    /// few thousand: a waiter polls every 25 ms).
    private let removedExitCodes = Mutex(RecentExitCodes(capacity: 4096))

    public init(
        repository: ContainerRepository, images: ImageRepository, snapshots: ImageSnapshots?, runtime: Runtime,
        volumes: VolumeService, root: String, events: EventBus = EventBus()
    ) throws(CoveError) {
        self.repository = repository
        self.events = events
        self.images = images
        self.snapshots = snapshots
        self.runtime = runtime
        self.volumes = volumes
        containersDirectory = root + "/containers"
        runDirectory = root + "/run"
        trash = try DirectoryTrash(directory: root + "/trash")
        lifecycle = ContainerLifecycleStore(containersDirectory: containersDirectory)
        try Directory.create(containersDirectory, mode: 0o711)
        try Directory.create(runDirectory, mode: 0o711)
    }

    func directory(_ id: String) -> String { "\(containersDirectory)/\(id)" }
    func stateDirectory(_ id: String) -> String { "\(runDirectory)/\(id.prefix(12))" }
    func rootfs(_ id: String) -> String { directory(id) + "/rootfs" }
    func logPath(_ id: String) -> String { stateDirectory(id) + "/" + RuntimePlan.logName }

    // MARK: - Create

    /// `POST /containers/create`: records the container, mounts its root and has the runtime
    /// set it up (its shim waits for `start`). Nothing is left on failure.
    func create(_ request: ContainerCreateRequest, name: String?) async throws(CoveError) -> ContainerRecord {
        guard let imageName = request.image, !imageName.isEmpty else {
            throw CoveError(.invalidInput, "Config cannot be empty in order to create a container")
        }
        let image: StoredImage
        do {
            image = try images.resolve(imageName)
        } catch  where error.code == .notFound {
            let shown = (try? ImageReference(parsing: imageName))?.withDefaultTag.familiar ?? imageName
            throw CoveError(.notFound, "No such image: \(shown)")
        }
        let imageConfig = try? OCIJSON.decode(
            ImageConfig.self, from: try images.content.read(image.id, maximumSize: 8 << 20), document: "image config")
        let config = ContainerSpecBuilder.complete(request, image: imageConfig?.config)
        _ = try ContainerSpecBuilder.arguments(config)
        _ = try RestartRules.policy(config.hostConfig?.restartPolicy, autoRemove: config.hostConfig?.autoRemove == true)
        try HealthRules.validate(config.healthcheck)
        let id = Self.newID()
        let body = try Self.encode(config)
        let record = ContainerRecord(
            id: id, name: name ?? Self.generatedName(id), imageID: image.id, imageName: imageName, config: body,
            createdAt: Date())
        let requested = try RequestedMounts.parse(config)
        let names = try volumeNames(requested, containerID: nil)
        _ = try ContainerSpecBuilder.spec(id: id, config: config, rootfs: rootfs(id), volumes: volumePaths(names))
        try checkBindSources(requested)
        try repository.create(record)
        do {
            try await setUp(record, config: config, image: image, volumeNames: names)
        } catch {
            try? tearDown(id)
            _ = try? repository.delete(id: id)
            removeAnonymousVolumes(
                requested.filter { $0.isVolume && $0.volumeName == nil }.compactMap { names[$0.target] })
            throw error
        }
        emit("create", record)
        return record
    }

    /// Mounts the root and creates the runtime's container.
    private func setUp(
        _ record: ContainerRecord, config: ContainerCreateRequest, image: StoredImage,
        volumeNames names: [String: String]
    ) async throws(CoveError) {
        try await mountRoot(record.id, image: image)
        let spec = try await mountedSpec(record.id, config: config, volumeNames: names)
        let runtime = runtime
        let state = stateDirectory(record.id)
        _ = try await Self.blocking { () throws(CoveError) in try runtime.create(spec, stateDirectory: state) }
    }

    func mountRoot(_ id: String, image: StoredImage) async throws(CoveError) {
        guard let snapshots else { throw CoveError(.internalError, "the engine has no snapshot store") }
        let target = rootfs(id)
        if OverlayMount.isMountPoint(target) { return }
        let prepared = try await snapshots.prepare(image)
        for sub in ["upper", "work", "rootfs"] { try Directory.create(directory(id) + "/" + sub, mode: 0o755) }
        try snapshots.store.mount(
            prepared, upper: directory(id) + "/upper", work: directory(id) + "/work", target: target)
    }

    /// Unmounts the root and puts the container's directories in the trash.
    func tearDown(_ id: String) throws(CoveError) {
        let target = rootfs(id)
        if OverlayMount.isMountPoint(target) { try OverlayMount.unmount(target, detach: true) }
        for path in [directory(id), stateDirectory(id)] { try trash.discard(path) }
    }

    // MARK: - Start, signals, exits

    /// `POST /containers/{id}/start`: a created container starts; an exited one is set up again
    /// (a new shim, the same root and log) and starts. A running one is left alone (`false`, 304).
    /// `byUser` false: its restart policy restarts it (its restart count is kept).
    func start(_ text: String, byUser: Bool = true) async throws(CoveError) -> Bool {
        var record = try repository.resolve(text)
        if record.isRunning, record.status != "restarting" { return false }
        if byUser { markStartedByUser(record.id) }
        let config = try Self.decode(record.config)
        let runtime = runtime
        var handle = try adopt(record.id)
        if record.status != "created" || handle.map({ (try? runtime.state($0))?.status != .created }) ?? true {
            if let old = handle { try? runtime.delete(old, force: true) }
            guard let image = try images.image(record.imageID) else {
                throw CoveError(.notFound, "No such image: \(record.imageName)")
            }
            try await mountRoot(record.id, image: image)
            let spec = try await mountedSpec(record.id, config: config)
            let state = stateDirectory(record.id)
            try? FileManager.default.removeItem(atPath: state + "/state")
            handle = try await Self.blocking { () throws(CoveError) in try runtime.create(spec, stateDirectory: state) }
        }
        guard let handle else { throw CoveError(.internalError, "container \(record.id) has no runtime state") }
        if config.tty == true, let size = config.hostConfig?.consoleSize, size.count == 2, size[0] > 0, size[1] > 0 {
            try? runtime.resize(handle, rows: size[0], columns: size[1])
        }
        do {
            try await Self.blocking { () throws(CoveError) in try runtime.start(handle) }
        } catch {
            guard error.code == .notFound || error.code == .invalidInput else { throw error }
            // The docker CLI picks its exit code (127, 126) from these words of Docker's message.
            let program = (try? ContainerSpecBuilder.arguments(config).first) ?? ""
            let reason =
                error.code == .notFound
                ? "exec: \"\(program)\": executable file not found in $PATH"
                : "exec: \"\(program)\": permission denied"
            let exitCode: Int32 = error.code == .notFound ? 127 : 126
            record = try repository.update(record.id) { record in
                record.status = "created"
                record.exitCode = exitCode
                record.error = reason
            }
            // As Docker: an AutoRemove container that cannot start is removed.
            if config.hostConfig?.autoRemove == true { try? remove(record.id, force: true, removeVolumes: true) }
            throw CoveError(
                .invalidInput, "failed to create task for container \(record.id): \(reason)", cause: error.cause)
        }
        let state = try runtime.state(handle)
        record = try repository.update(record.id) { record in
            // A process that has already exited did run: the monitor records its exit.
            record.status = state.status == .created ? record.status : "running"
            record.pid = state.pid
            record.startedAt = state.startedAt
            record.finishedAt = ""
            record.exitCode = 0
            record.error = ""
            record.oomKilled = false
        }
        emit("start", record)
        startHealthMonitor(record.id, config: config, handle: handle, resume: false)
        monitor(record.id, handle: handle)
        return true
    }

    /// The runtime's handle of a container created earlier, or nil when it has none.
    func adopt(_ id: String) throws(CoveError) -> ContainerHandle? {
        let state = stateDirectory(id)
        guard KernelFile.exists(state + "/state") else { return nil }
        return try runtime.adopt(id: id, stateDirectory: state)
    }

    /// Watches a running container until it exits, then records the exit (and removes it when
    /// it was created with `AutoRemove`, with its anonymous volumes, as Docker does).
    func monitor(_ id: String, handle: ContainerHandle) {
        let inserted = monitored.withLock { $0.insert(id).inserted }
        guard inserted else { return }
        Task {
            var schedule = PollSchedule(maximum: pollInterval)
            while true {
                // Only the shim's record is read while the container runs; its state directory
                // is gone once the container is removed.
                guard let state = try? runtime.state(handle) else {
                    _ = monitored.withLock { $0.remove(id) }
                    return
                }
                if state.status != .running, state.status != .created {
                    do {
                        let final = try observe(id, handle: handle)
                        // Released first: a restart the policy makes is watched by a new monitor.
                        _ = monitored.withLock { $0.remove(id) }
                        if let final, !final.isRunning { await afterExit(final) }
                        return
                    } catch {
                        // The database is busy or failing: the exit is recorded on a later round.
                    }
                }
                await schedule.pause()
            }
        }
    }

    /// Reads the shim's record and writes an exit to the database; returns the stored record.
    @discardableResult
    func observe(_ id: String, handle: ContainerHandle) throws(CoveError) -> ContainerRecord? {
        let state = try runtime.state(handle)
        guard state.status != .running, state.status != .created else { return try repository.container(id: id) }
        guard let record = try repository.container(id: id) else { return nil }
        guard record.isRunning else { return record }
        // A container waiting to restart has had its exit recorded already.
        if record.status == "restarting" { return try repository.update(id) { $0.status = "exited" } }
        let exited = try repository.update(id) { record in
            record.status = "exited"
            record.pid = 0
            record.exitCode = state.status == .unknown ? 255 : state.exitCode
            record.oomKilled = state.oomKilled
            record.finishedAt = state.finishedAt.isEmpty ? Self.now() : state.finishedAt
            if !state.error.isEmpty { record.error = state.error }
        }
        // Its health is settled with the exit, before a stop or wait that saw it answers.
        stopHealthMonitor(id)
        emit("die", exited, ["exitCode": String(exited.exitCode)])
        emitUnmounts(exited.id)
        return exited
    }

    /// `DELETE /containers/{id}`: a running container only with `force` (killed first);
    /// `removeVolumes` (`?v=1`) also removes its anonymous volumes.
    func remove(_ text: String, force: Bool, removeVolumes: Bool = false) throws(CoveError) {
        let record = try repository.resolve(text)
        let handle = try adopt(record.id)
        if record.isRunning, !force {
            throw CoveError(
                .conflict,
                "cannot remove container \"/\(record.name)\": container is \(record.status): "
                    + "stop the container before removing or force remove")
        }
        lifecycle.interrupt(record.id)
        lifecycle.setHealthMonitor(record.id, nil)
        if let handle { try runtime.delete(handle, force: true) }
        try tearDown(record.id)
        removedExitCodes.withLock { $0.record(record.id, exitCode: record.exitCode) }
        let mounted = try volumes.repository.mounts(of: record.id)
        try repository.delete(id: record.id)
        if removeVolumes { removeAnonymousVolumes(mounted.values.sorted()) }
        lifecycle.forget(record.id)
        emit("destroy", record)
    }

    /// The exit code of a container removed after its exit, for `wait?condition=removed`.
    func removedExitCode(_ id: String) -> Int32? { removedExitCodes.withLock { $0[id] } }

    /// At daemon start: adopts every container that was running and watches it (resuming its
    /// healthcheck); records the exits that happened while no daemon ran, removes `AutoRemove`
    /// ones that exited, and restarts those whose policy says so (`always` even when stopped by
    /// their user, as Docker's daemon does).
    public func adoptAll() async throws(CoveError) -> Int {
        var adopted = 0
        for record in try repository.list() {
            if record.status == "exited" || record.status == "restarting" {
                let exited =
                    record.status == "restarting" ? try repository.update(record.id) { $0.status = "exited" } : record
                await afterExit(exited, daemonStart: true)
                continue
            }
            guard record.isRunning else { continue }
            guard let handle = try? adopt(record.id) else {
                let exited = try repository.update(record.id) { record in
                    record.status = "exited"
                    record.exitCode = 255
                    record.pid = 0
                    record.finishedAt = Self.now()
                }
                await afterExit(exited, daemonStart: true)
                continue
            }
            if let now = try? observe(record.id, handle: handle), !now.isRunning {
                await afterExit(now, daemonStart: true)
                continue
            }
            adopted += 1
            if let config = try? Self.decode(record.config) {
                startHealthMonitor(record.id, config: config, handle: handle, resume: true)
            }
            monitor(record.id, handle: handle)
        }
        return adopted
    }

    // MARK: - Helpers

    /// Runs blocking work (the runtime's polling start, mounts) off the cooperative threads.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(CoveError) -> T) async throws(CoveError)
        -> T
    {
        let result: Result<T, CoveError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(CoveError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Docker's signal names (`SIGTERM`, `TERM`) and numbers; Docker's message otherwise.
    static func signalNumber(_ text: String) throws(CoveError) -> Int32 {
        guard let number = ChildProcess.signalNumber(text) else {
            throw CoveError(.invalidInput, "Invalid signal: \(text)")
        }
        return number
    }

    static func now() -> String { Timestamp.rfc3339Nano(secondsSince1970: Date().timeIntervalSince1970) }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next(), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Docker-like generated names: an adjective and a scientist, made unique by the id.
    static func generatedName(_ id: String) -> String {
        let adjectives = ["brave", "calm", "eager", "happy", "jolly", "keen", "quiet", "swift", "wise", "zen"]
        let names = ["curie", "darwin", "euler", "hopper", "lovelace", "noether", "pascal", "turing", "volta"]
        let value = Int(id.prefix(8), radix: 16) ?? 0
        return "\(adjectives[value % adjectives.count])_\(names[(value / 16) % names.count])_\(id.prefix(6))"
    }

    static func encode(_ config: ContainerCreateRequest) throws(CoveError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(config), let text = String(data: data, encoding: .utf8) else {
            throw CoveError(.internalError, "cannot encode the container's config")
        }
        return text
    }

    static func decode(_ text: String) throws(CoveError) -> ContainerCreateRequest {
        do {
            return try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(text.utf8))
        } catch {
            throw CoveError(.internalError, "the stored container config cannot be read", cause: "\(error)")
        }
    }
}
