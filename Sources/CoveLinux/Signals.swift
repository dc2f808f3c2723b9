import CoveCore
import Dispatch
import Glibc

/// The process signals Cove handles or sends.
public enum Signal: Sendable, Equatable, CustomStringConvertible {
    /// `SIGTERM`: stop cleanly.
    case terminate
    /// `SIGINT`: stop cleanly (Ctrl-C).
    case interrupt
    /// `SIGKILL`: cannot be caught.
    case kill

    /// The signal's number.
    public var number: Int32 {
        switch self {
        case .terminate: SIGTERM
        case .interrupt: SIGINT
        case .kill: SIGKILL
        }
    }

    /// `SIGTERM`, `SIGINT`, `SIGKILL`.
    public var description: String {
        switch self {
        case .terminate: "SIGTERM"
        case .interrupt: "SIGINT"
        case .kill: "SIGKILL"
        }
    }

    /// Sends the signal to process `pid` (`kill(2)`).
    public func send(to pid: Int32) throws(CoveError) {
        guard Glibc.kill(pid, number) == 0 else {
            throw .systemCall("kill", errno: errno, "cannot send \(self) to process \(pid)")
        }
    }
}

/// Delivers signals to a handler on a dispatch queue instead of their default action.
///
/// While the watcher lives, the watched signals are ignored by the default disposition and
/// reported through `handler`; `cancel()` restores the default actions.
public final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Signal]

    /// Starts watching `signals` (not `.kill`, which cannot be caught).
    public init(_ signals: [Signal], queue: DispatchQueue, handler: @escaping @Sendable (Signal) -> Void) {
        let caught = signals.filter { $0 != .kill }
        self.signals = caught
        sources = caught.map { signal in
            Glibc.signal(signal.number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal.number, queue: queue)
            source.setEventHandler { handler(signal) }
            source.resume()
            return source
        }
    }

    /// Stops watching and restores the signals' default actions.
    public func cancel() {
        for source in sources { source.cancel() }
        for signal in signals { Glibc.signal(signal.number, SIG_DFL) }
    }

    deinit {
        cancel()
    }
}
