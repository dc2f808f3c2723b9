import ArgumentParser
import CoveAPI
import CoveCompose
import CoveCore

/// The restart policy and healthcheck flags of `container create` and `container run`, as the
/// docker CLI's.
struct ContainerLifecycleOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Restart policy when the container exits: no, always, unless-stopped, on-failure[:max-retries].",
            valueName: "policy"))
    var restart: String?

    @Option(
        name: .customLong("health-cmd"),
        help: ArgumentHelp("Command to run to check health (run by /bin/sh -c).", valueName: "command"))
    var healthCmd: String?

    @Option(
        name: .customLong("health-interval"), help: ArgumentHelp("Time between checks (30s).", valueName: "duration"))
    var healthInterval: String?

    @Option(
        name: .customLong("health-timeout"),
        help: ArgumentHelp("Maximum time of one check (30s).", valueName: "duration"))
    var healthTimeout: String?

    @Option(
        name: .customLong("health-retries"),
        help: ArgumentHelp("Consecutive failures needed to report unhealthy (3).", valueName: "count"))
    var healthRetries: Int?

    @Option(
        name: .customLong("health-start-period"),
        help: ArgumentHelp("Start period during which failures do not count (0s).", valueName: "duration"))
    var healthStartPeriod: String?

    @Option(
        name: .customLong("health-start-interval"),
        help: ArgumentHelp("Time between checks during the start period (5s).", valueName: "duration"))
    var healthStartInterval: String?

    @Flag(name: .customLong("no-healthcheck"), help: "Disable any container-specified HEALTHCHECK.")
    var noHealthcheck = false

    /// Sets the request's restart policy and healthcheck; Docker's messages for bad values.
    func apply(to request: inout ContainerCreateRequest, autoRemove: Bool) throws(CoveError) {
        if let restart {
            let policy = try Self.restartPolicy(restart)
            if autoRemove, policy.name != "no" {
                throw CoveError(.invalidInput, "Conflicting options: --restart and --rm")
            }
            request.hostConfig = request.hostConfig ?? HostConfig()
            request.hostConfig?.restartPolicy = policy
        }
        let tuned =
            healthInterval != nil || healthTimeout != nil || healthRetries != nil || healthStartPeriod != nil
            || healthStartInterval != nil
        if noHealthcheck {
            guard healthCmd == nil, !tuned else {
                throw CoveError(.invalidInput, "--no-healthcheck conflicts with --health-* options")
            }
            request.healthcheck = Healthcheck(test: ["NONE"])
            return
        }
        guard healthCmd != nil || tuned else { return }
        var check = Healthcheck(test: healthCmd.map { ["CMD-SHELL", $0] })
        check.interval = try Self.nanoseconds(healthInterval, flag: "--health-interval")
        check.timeout = try Self.nanoseconds(healthTimeout, flag: "--health-timeout")
        check.startPeriod = try Self.nanoseconds(healthStartPeriod, flag: "--health-start-period")
        check.startInterval = try Self.nanoseconds(healthStartInterval, flag: "--health-start-interval")
        if let healthRetries {
            guard healthRetries >= 0 else { throw CoveError(.invalidInput, "--health-retries cannot be negative") }
            check.retries = healthRetries
        }
        request.healthcheck = check
    }

    /// `no`, `always`, `unless-stopped`, `on-failure[:max]`.
    static func restartPolicy(_ text: String) throws(CoveError) -> RestartPolicy {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return RestartPolicy(name: parts[0]) }
        guard parts[0] == "on-failure" else {
            throw CoveError(
                .invalidInput, "invalid restart policy format: maximum retry count can only be used with 'on-failure'")
        }
        guard let maximum = Int(parts[1]), maximum >= 0 else {
            throw CoveError(.invalidInput, "invalid restart policy format: maximum retry count must be an integer")
        }
        return RestartPolicy(name: "on-failure", maximumRetryCount: maximum)
    }

    static func nanoseconds(_ text: String?, flag: String) throws(CoveError) -> Int64? {
        guard let text else { return nil }
        guard let value = Units.parseDuration(text), value >= 0 else {
            throw CoveError(.invalidInput, "invalid argument \"\(text)\" for \"\(flag)\" flag: invalid duration")
        }
        return value
    }
}
