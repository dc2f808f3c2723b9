import CoveAPI
import CoveCore

/// Docker's restart manager as pure rules: which policies are valid, whether an exited
/// container restarts, and the back-off before it does (100 ms, doubled after each restart up
/// to one minute, back to 100 ms once a run lasted 10 s).
enum RestartRules {
    static let firstDelay: Duration = .milliseconds(100)
    static let maximumDelay: Duration = .seconds(60)
    /// A run at least this long resets the back-off.
    static let steadyRun: Duration = .seconds(10)

    enum Policy: Equatable, Sendable {
        case no, always, unlessStopped
        /// `maximum` restarts at most; 0 for no limit.
        case onFailure(maximum: Int)
    }

    /// The policy of a create request, checked with Docker's messages; `AutoRemove` with a
    /// policy is refused as Docker refuses it.
    static func policy(_ policy: RestartPolicy?, autoRemove: Bool = false) throws(CoveError) -> Policy {
        let name = policy?.name ?? ""
        let maximum = policy?.maximumRetryCount ?? 0
        let parsed: Policy
        switch name {
        case "", "no": parsed = .no
        case "always": parsed = .always
        case "unless-stopped": parsed = .unlessStopped
        case "on-failure":
            guard maximum >= 0 else {
                throw CoveError(.invalidInput, "invalid restart policy: maximum retry count cannot be negative")
            }
            parsed = .onFailure(maximum: maximum)
        default:
            throw CoveError(
                .invalidInput,
                "invalid restart policy: unknown policy '\(name)'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
            )
        }
        if maximum != 0, parsed != .onFailure(maximum: maximum) {
            throw CoveError(
                .invalidInput, "invalid restart policy: maximum retry count can only be used with 'on-failure'")
        }
        if autoRemove, parsed != .no {
            throw CoveError(.invalidInput, "can't create 'AutoRemove' container with restart policy")
        }
        return parsed
    }

    /// Whether a container that exited restarts. `stoppedByUser`: a stop or a kill through the API
    /// since its last start (Docker's `HasBeenManuallyStopped`: `unless-stopped` stays down).
    /// `cancelled`: a stop, or a kill with SIGKILL or its stop signal, ended this run; nothing
    /// restarts it then. A daemon that starts and finds a container exited asks without
    /// `cancelled`, so `always` restarts even one its user stopped, as Docker's does.
    static func shouldRestart(
        _ policy: Policy, exitCode: Int32, restartCount: Int, stoppedByUser: Bool, cancelled: Bool = false
    ) -> Bool {
        if cancelled { return false }
        switch policy {
        case .no: return false
        case .always: return true
        case .unlessStopped: return !stoppedByUser
        case .onFailure(let maximum): return exitCode != 0 && (maximum == 0 || restartCount < maximum)
        }
    }

    /// The wait before the next restart, given the previous one (nil before the first) and how
    /// long the container ran.
    static func nextDelay(previous: Duration?, ranFor: Duration) -> Duration {
        guard let previous, ranFor < steadyRun else { return firstDelay }
        return min(previous * 2, maximumDelay)
    }
}
