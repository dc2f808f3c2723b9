import CoveLinux
import NIOCore
import Synchronization

/// Joins a stop signal, which may arrive at any moment, to the server channel, which exists
/// only once the daemon listens: a signal before that closes the channel as soon as it is attached.
final class ShutdownTrigger: Sendable {
    private struct State {
        var channel: (any Channel)?
        var signal: Signal?
    }

    private let state = Mutex(State())

    /// The signal that asked for the stop, if one did.
    var signal: Signal? { state.withLock { $0.signal } }

    /// Records a stop request and closes the server channel when there is one.
    func request(_ signal: Signal) {
        let channel = state.withLock { state -> (any Channel)? in
            guard state.signal == nil else { return nil }
            state.signal = signal
            return state.channel
        }
        channel?.close(promise: nil)
    }

    /// Hands over the server channel; closes it at once when a stop was already requested.
    func attach(_ channel: any Channel) {
        let stopNow = state.withLock { state -> Bool in
            state.channel = channel
            return state.signal != nil
        }
        if stopNow { channel.close(promise: nil) }
    }
}
