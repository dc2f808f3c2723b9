import CoveAPI
import Foundation
import Synchronization

/// The daemon's event stream (`GET /events`): every service emits here what happened to a
/// container, an image or a volume; subscribers receive what follows their subscription, and
/// a bounded ring of recent events answers `since`.
///
/// Emitting never blocks: a subscriber's queue is drained by its own stream.
public final class EventBus: Sendable {
    /// The kinds of objects events are about (Docker's `Type`).
    public enum Kind: String, Sendable {
        case container, image, volume, network
    }

    private struct State {
        var recent: [EventMessage] = []
        var subscribers: [UInt64: [EventMessage]] = [:]
        var nextToken: UInt64 = 0
        var lastTimeNano: Int64 = 0
    }

    /// How many recent events are kept for `since`.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Records an event now: `id` is the container's id, the image's reference or id, the
    /// volume's name; `attributes` Docker's (`name`, `image`, labels, `exitCode`, `signal`,
    /// `driver`, `container`, …).
    public func emit(_ kind: Kind, action: String, id: String, attributes: [String: String] = [:]) {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        state.withLock { state in
            // Strictly increasing, so `since` and `until` bounds never split equal times.
            let time = max(now, state.lastTimeNano + 1)
            state.lastTimeNano = time
            let message = EventMessage(
                type: kind.rawValue, action: action, actor: EventActor(id: id, attributes: attributes), timeNano: time)
            state.recent.append(message)
            if state.recent.count > capacity { state.recent.removeFirst(state.recent.count - capacity) }
            for token in state.subscribers.keys { state.subscribers[token]?.append(message) }
        }
    }

    /// Starts receiving events; the recent ones (oldest first) are returned with the token.
    func subscribe() -> (token: UInt64, recent: [EventMessage]) {
        state.withLock { state in
            state.nextToken += 1
            state.subscribers[state.nextToken] = []
            return (state.nextToken, state.recent)
        }
    }

    /// The events received since the last call.
    func drain(_ token: UInt64) -> [EventMessage] {
        state.withLock { state in
            let pending = state.subscribers[token] ?? []
            if !pending.isEmpty { state.subscribers[token] = [] }
            return pending
        }
    }

    func unsubscribe(_ token: UInt64) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: token) }
    }

    /// The recent events, oldest first.
    var recent: [EventMessage] { state.withLock { $0.recent } }
}
