import CoveAPI
import CoveCore
import CoveRuntime
import CoveStore
import Foundation

/// Healthchecks: while a container with a check runs, the daemon execs its test at each interval
/// and keeps `State.Health` (persisted, so a new daemon resumes it); a status change is an event.
extension ContainerService {
    /// Starts probing a running container; `resume` keeps the stored health (a new daemon),
    /// otherwise it is `starting` again with no failures.
    func startHealthMonitor(_ id: String, config: ContainerCreateRequest, handle: ContainerHandle, resume: Bool) {
        guard let rules = HealthRules(config.healthcheck) else {
            lifecycle.setHealthMonitor(id, nil)
            return
        }
        lifecycle.update(id) { state in
            if !resume || state.health == nil {
                state.health = ContainerHealth(status: "starting", failingStreak: 0, log: state.health?.log ?? [])
            }
        }
        let task = Task { await probeLoop(id, config: config, handle: handle, rules: rules) }
        lifecycle.setHealthMonitor(id, task)
    }

    /// Stops probing; as Docker's, a container whose monitor stopped is `unhealthy`.
    func stopHealthMonitor(_ id: String) {
        lifecycle.setHealthMonitor(id, nil)
        if lifecycle.read(id).health != nil {
            lifecycle.update(id) { $0.health?.status = "unhealthy" }
        }
    }

    private func probeLoop(_ id: String, config: ContainerCreateRequest, handle: ContainerHandle, rules: HealthRules)
        async
    {
        while !Task.isCancelled {
            guard let record = try? repository.container(id: id), record.isRunning, record.status != "restarting"
            else { return }
            let started = ContainerRoutes.date(record.startedAt) ?? Date()
            let status = lifecycle.read(id).health?.status ?? "starting"
            let wait = rules.nextWait(sinceStart: Self.elapsed(since: started), status: status)
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
            guard let current = try? repository.container(id: id), current.isRunning else { return }
            if current.status != "running" { continue }
            let startedAfter = Self.elapsed(since: started)
            let result = await probe(current, config: config, handle: handle, rules: rules)
            if Task.isCancelled { return }
            var changed: String?
            lifecycle.update(id) { state in
                var health = state.health ?? ContainerHealth(status: "starting")
                changed = rules.record(result, startedAfter: startedAfter, into: &health)
                state.health = health
            }
            if let changed {
                events.emit(
                    .container, action: "health_status: \(changed)", id: id, attributes: eventAttributes(current))
            }
        }
    }

    /// Runs the test once through the exec machinery; a test that cannot run or outlives the
    /// timeout is exit code -1, as Docker reports it.
    func probe(_ record: ContainerRecord, config: ContainerCreateRequest, handle: ContainerHandle, rules: HealthRules)
        async -> HealthProbeResult
    {
        let start = Self.now()
        var spec = ExecSpec(arguments: rules.command)
        spec.user = config.user.flatMap { $0.isEmpty ? nil : $0 }
        spec.additionalGroups = config.hostConfig?.groupAdd ?? []
        let execID = Self.newID()
        let directory = "\(stateDirectory(record.id))/h\(execID.prefix(8))"
        let runtime = runtime
        let command = rules.command.joined(separator: " ")
        var attributes = eventAttributes(record)
        attributes["execID"] = execID
        let process = spec
        let exec: ExecHandle
        do {
            exec = try await Self.blocking { () throws(CoveError) in
                try runtime.exec(handle, process: process, stateDirectory: directory)
            }
        } catch {
            return HealthProbeResult(start: start, end: Self.now(), exitCode: -1, output: error.message)
        }
        defer { try? runtime.delete(exec) }
        events.emit(.container, action: "exec_create: \(command)", id: record.id, attributes: attributes)
        events.emit(.container, action: "exec_start: \(command)", id: record.id, attributes: attributes)
        do {
            try await Self.blocking { () throws(CoveError) in try runtime.start(exec) }
        } catch {
            return HealthProbeResult(start: start, end: Self.now(), exitCode: -1, output: error.message)
        }
        let deadline = ContinuousClock.now + rules.timeout
        var exitCode = -1
        var output: String?
        var schedule = PollSchedule(maximum: .milliseconds(20))
        while true {
            let state = try? runtime.state(exec)
            if let state, state.status != .running, state.status != .created {
                exitCode = state.status == .unknown ? -1 : Int(state.exitCode)
                break
            }
            if state == nil || ContinuousClock.now >= deadline {
                try? runtime.kill(exec, signal: 9)
                output = rules.timeoutMessage
                break
            }
            await schedule.pause()
        }
        attributes["exitCode"] = String(exitCode)
        events.emit(.container, action: "exec_die", id: record.id, attributes: attributes)
        return HealthProbeResult(
            start: start, end: Self.now(), exitCode: exitCode, output: output ?? Self.probeOutput(exec.logPath))
    }

    /// The probe's stdout and stderr, the first 4096 bytes (`...` marking a cut).
    static func probeOutput(_ path: String) -> String {
        var reader = LogReader(path: path)
        var bytes: [UInt8] = []
        for line in reader.readLines() {
            guard let entry = try? JSONDecoder().decode(ContainerRoutes.LogLine.self, from: Data(line.utf8)) else {
                continue
            }
            bytes += Array(entry.log.utf8)
        }
        guard bytes.count > HealthRules.outputLimit else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes.prefix(HealthRules.outputLimit), as: UTF8.self) + "..."
    }

    static func elapsed(since date: Date) -> Duration {
        .milliseconds(Int64(max(Date().timeIntervalSince(date), 0) * 1000))
    }
}
