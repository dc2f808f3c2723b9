/// `Config.Healthcheck` of a create request (Docker's `HealthConfig`); durations in nanoseconds,
/// 0 meaning Docker's default (interval 30 s, timeout 30 s, start interval 5 s, start period 0,
/// retries 3).
public struct Healthcheck: Codable, Sendable, Equatable {
    /// `[]` inherit the image's, `["NONE"]`, `["CMD", program, args…]` or `["CMD-SHELL", command]`.
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var startInterval: Int64?
    public var retries: Int?

    public init(
        test: [String]? = nil, interval: Int64? = nil, timeout: Int64? = nil, startPeriod: Int64? = nil,
        startInterval: Int64? = nil, retries: Int? = nil
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.retries = retries
    }

    enum CodingKeys: String, CodingKey {
        case test = "Test"
        case interval = "Interval"
        case timeout = "Timeout"
        case startPeriod = "StartPeriod"
        case startInterval = "StartInterval"
        case retries = "Retries"
    }
}

/// `HostConfig.RestartPolicy`: `""`/`no`, `always`, `unless-stopped`, `on-failure` (with an
/// optional maximum of restarts, 0 for no limit).
public struct RestartPolicy: Codable, Sendable, Equatable {
    public var name: String
    public var maximumRetryCount: Int

    public init(name: String, maximumRetryCount: Int = 0) {
        self.name = name
        self.maximumRetryCount = maximumRetryCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        maximumRetryCount = try container.decodeIfPresent(Int.self, forKey: .maximumRetryCount) ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case maximumRetryCount = "MaximumRetryCount"
    }
}

/// `State.Health` of an inspected container.
public struct ContainerHealth: Codable, Sendable, Equatable {
    /// `starting`, `healthy` or `unhealthy`.
    public var status: String
    public var failingStreak: Int
    /// The last five probes, oldest first.
    public var log: [HealthProbeResult]

    public init(status: String, failingStreak: Int = 0, log: [HealthProbeResult] = []) {
        self.status = status
        self.failingStreak = failingStreak
        self.log = log
    }

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case failingStreak = "FailingStreak"
        case log = "Log"
    }
}

/// One probe of a healthcheck: its times (RFC 3339), exit code (-1: it could not run or timed
/// out) and the end of its output.
public struct HealthProbeResult: Codable, Sendable, Equatable {
    public var start: String
    public var end: String
    public var exitCode: Int
    public var output: String

    public init(start: String, end: String, exitCode: Int, output: String) {
        self.start = start
        self.end = end
        self.exitCode = exitCode
        self.output = output
    }

    enum CodingKeys: String, CodingKey {
        case start = "Start"
        case end = "End"
        case exitCode = "ExitCode"
        case output = "Output"
    }
}
