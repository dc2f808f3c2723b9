import CoveAPI
import CoveCore
import CoveLinux
import Foundation
import Synchronization

/// What the daemon keeps about a container beside its database row, in
/// `<root>/containers/<id>/lifecycle.json` so that a new daemon resumes it: the restarts its
/// policy made, whether its user stopped it, and its health.
struct ContainerLifecycle: Codable, Sendable, Equatable {
    var restartCount = 0
    /// Set by a stop or kill through the API, cleared by a start: `unless-stopped` stays down.
    var stoppedByUser = false
    var health: ContainerHealth?
}

/// The containers' `ContainerLifecycle` files, cached, and what only the running daemon knows:
/// the restart back-off, the pending restart, the health monitor.
final class ContainerLifecycleStore: Sendable {
    private struct Volatile {
        var delay: Duration?
        /// Bumped by a start, stop or removal: a restart waiting for its back-off gives up.
        var generation = 0
        /// The next exit is not restarted (a stop or a kill that ends the container).
        var cancelled = false
        var healthMonitor: Task<Void, Never>?
    }

    let containersDirectory: String
    private let cache = Mutex<[String: ContainerLifecycle]>([:])
    private let volatile = Mutex<[String: Volatile]>([:])

    init(containersDirectory: String) {
        self.containersDirectory = containersDirectory
    }

    private func path(_ id: String) -> String { "\(containersDirectory)/\(id)/lifecycle.json" }

    /// The stored lifecycle (a fresh one when none was written).
    func read(_ id: String) -> ContainerLifecycle {
        if let cached = cache.withLock({ $0[id] }) { return cached }
        let bytes = try? AtomicFile.read(path(id), limit: 1 << 20)
        let stored = bytes.flatMap { try? JSONDecoder().decode(ContainerLifecycle.self, from: Data($0)) }
        let value = stored ?? ContainerLifecycle()
        cache.withLock { $0[id] = value }
        return value
    }

    /// Changes and writes the lifecycle; the file is skipped when the container's directory is gone.
    @discardableResult
    func update(_ id: String, _ change: (inout ContainerLifecycle) -> Void) -> ContainerLifecycle {
        var value = read(id)
        change(&value)
        let result = value
        cache.withLock { $0[id] = result }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if FileManager.default.fileExists(atPath: "\(containersDirectory)/\(id)"),
            let data = try? encoder.encode(result)
        {
            try? AtomicFile.write(Array(data), to: path(id), mode: 0o600, durable: false)
        }
        return result
    }

    /// The next back-off, remembered.
    func nextDelay(_ id: String, ranFor: Duration) -> Duration {
        volatile.withLock { states in
            let delay = RestartRules.nextDelay(previous: states[id]?.delay, ranFor: ranFor)
            states[id, default: Volatile()].delay = delay
            return delay
        }
    }

    /// Makes any pending restart give up; with `resetDelay` (a start) the back-off starts over
    /// and an earlier cancellation is forgotten.
    func interrupt(_ id: String, resetDelay: Bool = false) {
        volatile.withLock { states in
            states[id, default: Volatile()].generation += 1
            if resetDelay {
                states[id]?.delay = nil
                states[id]?.cancelled = false
            }
        }
    }

    func generation(_ id: String) -> Int { volatile.withLock { $0[id]?.generation ?? 0 } }

    /// No restart after the next exit; a pending one gives up.
    func cancelNextRestart(_ id: String) {
        volatile.withLock { states in
            states[id, default: Volatile()].generation += 1
            states[id]?.cancelled = true
        }
    }

    /// Whether the exit that just happened was cancelled (the mark is consumed).
    func takeCancellation(_ id: String) -> Bool {
        volatile.withLock { states in
            let cancelled = states[id]?.cancelled ?? false
            states[id]?.cancelled = false
            return cancelled
        }
    }

    /// Replaces the container's health monitor, cancelling the previous one.
    func setHealthMonitor(_ id: String, _ task: Task<Void, Never>?) {
        let previous = volatile.withLock { states in
            let old = states[id]?.healthMonitor
            states[id, default: Volatile()].healthMonitor = task
            return old
        }
        previous?.cancel()
    }

    /// Forgets a removed container.
    func forget(_ id: String) {
        setHealthMonitor(id, nil)
        _ = volatile.withLock { $0.removeValue(forKey: id) }
        _ = cache.withLock { $0.removeValue(forKey: id) }
    }
}
