import CoveAPI
import CoveCore
import CoveRuntime
import CoveStore
import Foundation
import Synchronization

/// `docker exec`'s records. They are kept in memory only: an exec does not outlive the daemon
/// that created it (its process does, under its own shim, but a new daemon does not know it).
/// Each exec has a state directory of its own under its container's (`<run>/<short id>/x<8>`,
/// short for the attach socket's path), removed once its process has exited and the daemon has
/// read its result; the record goes with its container.
public final class ExecService: Sendable {
    /// One exec: what was asked, the runtime's handle, and its result once read.
    struct Record: Sendable {
        var id: String
        var containerID: String
        var request: ExecCreateRequest
        var handle: ExecHandle
        var started = false
        var final: ContainerState?
    }

    let containers: ContainerService
    private let records = Mutex<[String: Record]>([:])

    public init(containers: ContainerService) {
        self.containers = containers
    }

    /// `POST /containers/{id}/exec`: plans the exec; its shim waits for `start`.
    func create(_ container: String, request: ExecCreateRequest) async throws(CoveError) -> String {
        let record = try containers.repository.resolve(container)
        guard let arguments = request.cmd, !arguments.isEmpty, !arguments[0].isEmpty else {
            throw CoveError(.invalidInput, "No exec command specified")
        }
        if record.status == "paused" {
            throw CoveError(.conflict, "Container \(record.id) is paused, unpause the container before exec")
        }
        guard record.isRunning, let handle = try containers.adopt(record.id) else {
            throw CoveError(.conflict, "Container \(record.id) is not running")
        }
        let config = try ContainerService.decode(record.config)
        var spec = ExecSpec(arguments: arguments)
        spec.environment = request.env ?? []
        spec.user = request.user.flatMap { $0.isEmpty ? nil : $0 }
        spec.additionalGroups = config.hostConfig?.groupAdd ?? []
        spec.workingDirectory = request.workingDir.flatMap { $0.isEmpty ? nil : $0 }
        spec.tty = request.tty ?? false
        spec.openStdin = request.attachStdin ?? false
        spec.privileged = request.privileged ?? false
        let id = ContainerService.newID()
        let directory = "\(containers.stateDirectory(record.id))/x\(id.prefix(8))"
        let runtime = containers.runtime
        let process = spec
        let exec = try await ContainerService.blocking { () throws(CoveError) in
            try runtime.exec(handle, process: process, stateDirectory: directory)
        }
        records.withLock {
            $0[id] = Record(id: id, containerID: record.id, request: request, handle: exec)
        }
        forgetRemovedContainers()
        emit("exec_create: " + arguments.joined(separator: " "), containerID: record.id, execID: id)
        return id
    }

    /// The exec named by `id` (its full id or a unique prefix), or Docker's 404.
    func record(_ id: String) throws(CoveError) -> Record {
        let found = records.withLock { records in
            records[id] ?? records.values.filter { $0.id.hasPrefix(id) }.first
        }
        guard !id.isEmpty, let found else { throw CoveError(.notFound, "No such exec instance: \(id)") }
        guard !isRemoved(found.containerID) else {
            forget(found.containerID)
            throw CoveError(.notFound, "No such exec instance: \(id)")
        }
        return found
    }

    /// Marks the exec started (once only: Docker's 409 for a second start).
    func claim(_ id: String) throws(CoveError) -> Record {
        let found = try record(id)
        let claimed = records.withLock { records -> Bool in
            guard records[found.id]?.started == false else { return false }
            records[found.id]?.started = true
            return true
        }
        guard claimed else { throw CoveError(.conflict, "Exec \(found.id) has already been started") }
        return found
    }

    /// Starts the exec's process (its pty sized first when `consoleSize` is given); afterwards watches it until it exits, keeps its result and
    /// removes its state directory.
    func start(_ record: Record, consoleSize: [Int]? = nil) throws(CoveError) {
        let runtime = containers.runtime
        if record.request.tty == true, let size = consoleSize, size.count == 2, size[0] > 0, size[1] > 0 {
            try? runtime.resize(record.handle, rows: size[0], columns: size[1])
        }
        defer { watch(record) }
        emit(
            "exec_start: " + (record.request.cmd ?? []).joined(separator: " "), containerID: record.containerID,
            execID: record.id)
        try runtime.start(record.handle)
    }

    /// An exec event of the container, with its attributes and the exec's id.
    private func emit(_ action: String, containerID: String, execID: String, extra: [String: String] = [:]) {
        guard let container = try? containers.repository.container(id: containerID) else { return }
        containers.emit(action, container, extra.merging(["execID": execID]) { _, new in new })
    }

    private func watch(_ record: Record) {
        let runtime = containers.runtime
        Task {
            var schedule = PollSchedule(maximum: .milliseconds(50))
            while true {
                guard let state = try? runtime.state(record.handle) else { return }
                if state.status != .running, state.status != .created {
                    finish(record, state)
                    try? runtime.delete(record.handle)
                    return
                }
                await schedule.pause()
            }
        }
    }

    /// Keeps the exec's result and emits `exec_die`, once: whichever of the watcher and an
    /// inspect sees the exit first (a client that inspects right after the output ends finds
    /// the event already there).
    private func finish(_ record: Record, _ state: ContainerState) {
        let first = records.withLock { records -> Bool in
            guard records[record.id] != nil, records[record.id]?.final == nil else { return false }
            records[record.id]?.final = state
            return true
        }
        guard first else { return }
        let exitCode = state.status == .unknown ? 255 : state.exitCode
        emit("exec_die", containerID: record.containerID, execID: record.id, extra: ["exitCode": "\(exitCode)"])
    }

    /// `GET /exec/{id}/json`.
    func inspect(_ id: String) throws(CoveError) -> ExecInspect {
        let found = try record(id)
        var state = found.final
        if state == nil, found.started {
            state = try? containers.runtime.state(found.handle)
            if state == nil { state = records.withLock { $0[found.id]?.final } }
        }
        let running = state.map { $0.status == .running } ?? false
        let exited = state.map { $0.status != .running && $0.status != .created } ?? false
        if exited, let state { finish(found, state) }
        let arguments = found.request.cmd ?? []
        return ExecInspect(
            id: found.id, running: running,
            exitCode: exited ? Int(state?.status == .unknown ? 255 : state?.exitCode ?? 0) : nil,
            processConfig: ExecProcessConfig(
                tty: found.request.tty ?? false, entrypoint: arguments.first ?? "",
                arguments: Array(arguments.dropFirst()), privileged: found.request.privileged ?? false,
                user: found.request.user ?? ""),
            openStdin: found.request.attachStdin ?? false, openStdout: found.request.attachStdout ?? false,
            openStderr: found.request.attachStderr ?? false, containerID: found.containerID,
            pid: running ? Int(state?.pid ?? 0) : 0)
    }

    /// `POST /exec/{id}/resize`.
    func resize(_ id: String, rows: Int, columns: Int) throws(CoveError) {
        let found = try record(id)
        guard found.started, found.final == nil else {
            throw CoveError(.conflict, "Exec \(found.id) is not running")
        }
        try containers.runtime.resize(found.handle, rows: rows, columns: columns)
    }

    /// Drops the records of containers that were removed.
    private func forgetRemovedContainers() {
        let owners = Set(records.withLock { $0.values.map(\.containerID) })
        for owner in owners where isRemoved(owner) { forget(owner) }
    }

    /// Whether the database says the container is gone (not when it cannot be read).
    private func isRemoved(_ containerID: String) -> Bool {
        do {
            return try containers.repository.container(id: containerID) == nil
        } catch {
            return false
        }
    }

    /// Drops the records of a container that is gone.
    func forget(_ containerID: String) {
        records.withLock { records in records = records.filter { $0.value.containerID != containerID } }
    }
}
