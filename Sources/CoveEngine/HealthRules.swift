import CoveAPI
import CoveCore
import CoveImage
import Foundation

/// Docker's healthcheck as pure rules: the settings with their defaults, the image's check
/// inherited, the wait before each probe, and the state machine a probe result drives.
struct HealthRules: Sendable, Equatable {
    static let defaultInterval: Duration = .seconds(30)
    static let defaultTimeout: Duration = .seconds(30)
    static let defaultStartInterval: Duration = .seconds(5)
    static let defaultRetries = 3
    /// Probes kept in `State.Health.Log`.
    static let logLength = 5
    /// Bytes of a probe's output kept.
    static let outputLimit = 4096

    /// The program and its arguments (`CMD-SHELL` runs `/bin/sh -c`).
    var command: [String]
    var interval: Duration
    var timeout: Duration
    var startPeriod: Duration
    var startInterval: Duration
    var retries: Int

    /// The settings of a container's check; nil when it has none or `NONE`.
    init?(_ check: Healthcheck?) {
        guard let check, let test = check.test, let kind = test.first else { return nil }
        switch kind {
        case "CMD" where test.count > 1: command = Array(test.dropFirst())
        case "CMD-SHELL" where test.count > 1: command = ["/bin/sh", "-c", test.dropFirst().joined(separator: " ")]
        default: return nil
        }
        func duration(_ nanoseconds: Int64?, _ fallback: Duration) -> Duration {
            guard let nanoseconds, nanoseconds > 0 else { return fallback }
            return .nanoseconds(nanoseconds)
        }
        interval = duration(check.interval, Self.defaultInterval)
        timeout = duration(check.timeout, Self.defaultTimeout)
        startPeriod = duration(check.startPeriod, .zero)
        startInterval = duration(check.startInterval, Self.defaultStartInterval)
        retries = (check.retries ?? 0) > 0 ? check.retries ?? Self.defaultRetries : Self.defaultRetries
    }

    /// Docker's checks of a create request's healthcheck.
    static func validate(_ check: Healthcheck?) throws(CoveError) {
        guard let check else { return }
        let durations = [
            ("Interval", check.interval), ("Timeout", check.timeout), ("StartPeriod", check.startPeriod),
            ("StartInterval", check.startInterval),
        ]
        for (name, value) in durations {
            if let value, value != 0, value < 1_000_000 {
                throw CoveError(.invalidInput, "\(name) in Healthcheck cannot be less than 1ms")
            }
        }
        if let retries = check.retries, retries < 0 {
            throw CoveError(.invalidInput, "Retries in Healthcheck cannot be negative")
        }
        if let test = check.test, let kind = test.first, !["NONE", "CMD", "CMD-SHELL"].contains(kind) {
            throw CoveError(.invalidInput, "unknown type \(kind) in Healthcheck.Test: use NONE, CMD or CMD-SHELL")
        }
    }

    /// Docker's merge: the request's check, its empty test and zero fields taken from the image's.
    static func merge(_ request: Healthcheck?, image: HealthConfig?) -> Healthcheck? {
        guard let image else { return request }
        let inherited = Healthcheck(
            test: image.test, interval: image.interval, timeout: image.timeout, startPeriod: image.startPeriod,
            startInterval: image.startInterval, retries: image.retries)
        guard var merged = request else { return inherited }
        if (merged.test ?? []).isEmpty { merged.test = image.test }
        if (merged.interval ?? 0) == 0 { merged.interval = image.interval }
        if (merged.timeout ?? 0) == 0 { merged.timeout = image.timeout }
        if (merged.startPeriod ?? 0) == 0 { merged.startPeriod = image.startPeriod }
        if (merged.startInterval ?? 0) == 0 { merged.startInterval = image.startInterval }
        if (merged.retries ?? 0) == 0 { merged.retries = image.retries }
        return merged
    }

    /// The wait before the next probe: the start interval while still starting within the
    /// start period, the interval otherwise.
    func nextWait(sinceStart: Duration, status: String) -> Duration {
        sinceStart < startPeriod && status == "starting" ? startInterval : interval
    }

    /// Applies a probe's result (`startedAfter`: how long after the container's start it began);
    /// returns the new status when it changed.
    func record(_ result: HealthProbeResult, startedAfter: Duration, into health: inout ContainerHealth) -> String? {
        let before = health.status
        health.log.append(result)
        if health.log.count > Self.logLength { health.log.removeFirst(health.log.count - Self.logLength) }
        if result.exitCode == 0 {
            health.failingStreak = 0
            health.status = "healthy"
        } else if !(health.status == "starting" && startedAfter < startPeriod) {
            // A failure within the start period of a container never healthy yet does not count.
            health.failingStreak += 1
            if health.failingStreak >= retries { health.status = "unhealthy" }
        }
        return health.status == before ? nil : health.status
    }

    /// The message of a probe that timed out, with Go's duration text (`Health check exceeded
    /// timeout (200ms)`).
    var timeoutMessage: String { "Health check exceeded timeout (\(Self.goDuration(timeout)))" }

    /// Go's `time.Duration.String` for the durations a healthcheck uses.
    static func goDuration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds == 0 { return "0s" }
        if nanoseconds < 1_000 { return "\(nanoseconds)ns" }
        if nanoseconds < 1_000_000 { return trimmed(Double(nanoseconds) / 1_000) + "µs" }
        if nanoseconds < 1_000_000_000 { return trimmed(Double(nanoseconds) / 1_000_000) + "ms" }
        var text = ""
        let hours = seconds / 3600
        let minutes = seconds / 60 % 60
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        return text + trimmed(Double(seconds % 60) + Double(attoseconds) / 1e18) + "s"
    }

    private static func trimmed(_ value: Double) -> String {
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
