import CoveCore
import CoveLinux
import CoveRuntime
import CoveStore

/// Signals, stop, pause and resize of running containers.
extension ContainerService {
    /// Sends a signal (Docker's names or numbers); `conflict` when the container is not running.
    func kill(_ text: String, signal: String) throws(CoveError) {
        let number = try Self.signalNumber(signal)
        let record = try repository.resolve(text)
        let stopSignal = (try? Self.decode(record.config))?.stopSignal.flatMap { ChildProcess.signalNumber($0) } ?? 15
        let ending = number == 9 || number == stopSignal
        if record.status == "restarting", ending {
            markStoppedByUser(record.id, cancelRestart: true)
            if settleRestarting(record.id) { return }
        }
        guard record.isRunning, let handle = try adopt(record.id) else {
            throw CoveError(.conflict, "Cannot kill container: \(text): Container \(record.id) is not running")
        }
        markStoppedByUser(record.id, cancelRestart: ending)
        if record.status == "paused", number == 9 { try? runtime.unpause(handle) }
        try runtime.kill(handle, signal: number)
        emit("kill", record, ["signal": String(number)])
    }

    /// Docker's stop: the stop signal, then SIGKILL after `timeout` seconds (−1: wait for ever);
    /// returns once the exit is recorded. `false` when it was not running (304).
    func stop(_ text: String, signal: String?, timeout: Int?) async throws(CoveError) -> Bool {
        let record = try repository.resolve(text)
        let config = try Self.decode(record.config)
        let number = try Self.signalNumber(signal ?? config.stopSignal ?? "SIGTERM")
        if record.isRunning { markStoppedByUser(record.id, cancelRestart: true) }
        if record.status == "restarting", settleRestarting(record.id) {
            emit("stop", record)
            return true
        }
        guard record.isRunning, let handle = try adopt(record.id) else { return false }
        if record.status == "paused" { try? runtime.unpause(handle) }
        try? runtime.kill(handle, signal: number)
        emit("kill", record, ["signal": String(number)])
        let seconds = timeout ?? config.stopTimeout ?? 10
        if seconds >= 0, await !waitForExit(record.id, handle: handle, seconds: Double(seconds)) {
            try? runtime.kill(handle, signal: 9)
            emit("kill", record, ["signal": "9"])
        }
        _ = await waitForExit(record.id, handle: handle, seconds: -1)
        emit("stop", record)
        return true
    }

    /// Waits until the exit is recorded (polling); false after `seconds` (negative: no limit).
    func waitForExit(_ id: String, handle: ContainerHandle, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(max(seconds, 0) * 1000))
        var schedule = PollSchedule(maximum: .milliseconds(20))
        while seconds < 0 || ContinuousClock.now < deadline {
            if let record = try? observe(id, handle: handle), !record.isRunning { return true }
            if (try? repository.container(id: id)) == nil { return true }
            await schedule.pause()
        }
        return false
    }

    func pause(_ text: String, _ paused: Bool) throws(CoveError) {
        let record = try repository.resolve(text)
        guard record.isRunning, let handle = try adopt(record.id) else {
            throw CoveError(.conflict, "Container \(record.id) is not running")
        }
        if paused {
            guard record.status != "paused" else {
                throw CoveError(.conflict, "Container \(record.id) is already paused")
            }
            try runtime.pause(handle)
        } else {
            guard record.status == "paused" else { throw CoveError(.conflict, "Container \(record.id) is not paused") }
            try runtime.unpause(handle)
        }
        try repository.update(record.id) { $0.status = paused ? "paused" : "running" }
        emit(paused ? "pause" : "unpause", record)
    }

    /// Resizes a running container's pty (`conflict` when it is not running).
    func resize(_ text: String, rows: Int, columns: Int) throws(CoveError) {
        let record = try repository.resolve(text)
        guard record.isRunning || record.status == "created", let handle = try adopt(record.id) else {
            throw CoveError(.conflict, "Container \(record.id) is not running")
        }
        try runtime.resize(handle, rows: rows, columns: columns)
    }
}
