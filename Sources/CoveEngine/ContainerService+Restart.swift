import CoveAPI
import CoveCore
import CoveStore
import Foundation

/// Restart policies: after an exit the container is `restarting` for the back-off, then
/// started again as `POST /containers/{id}/start` starts it (without resetting its count).
extension ContainerService {
    /// Applies the restart policy to a container that has just exited (or, with `daemonStart`,
    /// that a starting daemon finds exited, then restarted at once); an `AutoRemove` container
    /// that stays down is removed.
    func afterExit(_ record: ContainerRecord, daemonStart: Bool = false) async {
        stopHealthMonitor(record.id)
        guard let config = try? Self.decode(record.config) else { return }
        let policy = (try? RestartRules.policy(config.hostConfig?.restartPolicy)) ?? .no
        let state = lifecycle.read(record.id)
        guard
            RestartRules.shouldRestart(
                policy, exitCode: record.exitCode, restartCount: state.restartCount,
                stoppedByUser: state.stoppedByUser, cancelled: !daemonStart && lifecycle.takeCancellation(record.id))
        else {
            if config.hostConfig?.autoRemove == true { try? remove(record.id, force: true, removeVolumes: true) }
            return
        }
        if daemonStart {
            // As Docker's daemon: started at once, its count and back-off reset.
            let id = record.id
            Task {
                do throws(CoveError) {
                    _ = try await start(id, byUser: true)
                } catch {
                    _ = try? repository.update(id) { $0.error = error.message }
                }
            }
            return
        }
        let ranFor = Self.runTime(record)
        let delay = lifecycle.nextDelay(record.id, ranFor: ranFor)
        let generation = lifecycle.generation(record.id)
        let marked = try? repository.update(record.id) { record in
            if record.status == "exited" { record.status = "restarting" }
        }
        guard marked?.status == "restarting" else { return }
        lifecycle.update(record.id) { $0.restartCount += 1 }
        let id = record.id
        Task {
            try? await Task.sleep(for: delay)
            guard lifecycle.generation(id) == generation,
                (try? repository.container(id: id))??.status == "restarting"
            else { return }
            do throws(CoveError) {
                _ = try await start(id, byUser: false)
            } catch {
                _ = try? repository.update(id) { record in
                    if record.status == "restarting" {
                        record.status = "exited"
                        record.error = error.message
                    }
                }
            }
        }
    }

    /// How long the container's last run lasted (zero when its times are unknown).
    static func runTime(_ record: ContainerRecord) -> Duration {
        guard let started = ContainerRoutes.date(record.startedAt),
            let finished = ContainerRoutes.date(record.finishedAt)
        else { return .zero }
        return .milliseconds(Int64(max(finished.timeIntervalSince(started), 0) * 1000))
    }

    /// A stop or kill through the API: `unless-stopped` stays down (across daemon restarts
    /// too). With `cancelRestart` (a stop, SIGKILL or the stop signal) no restart follows the
    /// exit and a restart waiting for its back-off is cancelled.
    func markStoppedByUser(_ id: String, cancelRestart: Bool) {
        if cancelRestart { lifecycle.cancelNextRestart(id) }
        lifecycle.update(id) { $0.stoppedByUser = true }
    }

    /// A start through the API: the count, the back-off and the user's stop are forgotten.
    func markStartedByUser(_ id: String) {
        lifecycle.interrupt(id, resetDelay: true)
        lifecycle.update(id) { state in
            state.stoppedByUser = false
            state.restartCount = 0
        }
    }

    /// A container left `restarting` (its back-off cancelled) is `exited`; true when it was.
    func settleRestarting(_ id: String) -> Bool {
        let record = try? repository.update(id) { record in
            if record.status == "restarting" { record.status = "exited" }
        }
        return record?.status == "exited"
    }
}
