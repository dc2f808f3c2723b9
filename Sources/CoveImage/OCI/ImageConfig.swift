import CoveCore

/// An image config blob: the platform, the default container settings, the layers' uncompressed
/// digests (`rootfs.diff_ids`) and the build history.
///
/// One type serves the OCI image config and Docker's image config (which adds `Healthcheck`,
/// `Shell`, `OnBuild` and a few more to `config`). Times are kept as the RFC 3339 text they were
/// written in, so nothing is lost.
public struct ImageConfig: Hashable, Sendable, Codable {
    /// When the image was created (RFC 3339).
    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var osVersion: String?
    public var osFeatures: [String]?
    public var variant: String?
    /// The defaults for containers made from the image.
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var history: [History]?

    public init(
        architecture: String, os: String, variant: String? = nil, config: ContainerConfig? = nil,
        rootfs: RootFS, history: [History]? = nil, created: String? = nil, author: String? = nil
    ) {
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.config = config
        self.rootfs = rootfs
        self.history = history
        self.created = created
        self.author = author
    }

    /// The platform the image is built for.
    public var platform: Platform {
        Platform(os: os, architecture: architecture, variant: variant, osVersion: osVersion, osFeatures: osFeatures)
    }

    private enum CodingKeys: String, CodingKey {
        case created, author, architecture, os, variant, config, rootfs, history
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }
}

/// The container defaults of an image config (Docker's and OCI's `config` object).
public struct ContainerConfig: Hashable, Sendable, Codable {
    public var user: String?
    /// `"80/tcp"`, `"53/udp"`.
    public var exposedPorts: KeySet?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var volumes: KeySet?
    public var workingDir: String?
    public var labels: [String: String]?
    public var stopSignal: String?
    /// Docker's: the stop timeout in seconds.
    public var stopTimeout: Int?
    /// Docker's: the health check.
    public var healthcheck: HealthConfig?
    /// Docker's: the shell for the shell form of RUN, CMD and ENTRYPOINT.
    public var shell: [String]?
    /// Docker's: the ONBUILD instructions.
    public var onBuild: [String]?
    /// Docker's: Windows only, the command line is already escaped.
    public var argsEscaped: Bool?

    public init(
        user: String? = nil, exposedPorts: KeySet? = nil, env: [String]? = nil, entrypoint: [String]? = nil,
        cmd: [String]? = nil, volumes: KeySet? = nil, workingDir: String? = nil, labels: [String: String]? = nil,
        stopSignal: String? = nil, healthcheck: HealthConfig? = nil
    ) {
        self.user = user
        self.exposedPorts = exposedPorts
        self.env = env
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.volumes = volumes
        self.workingDir = workingDir
        self.labels = labels
        self.stopSignal = stopSignal
        self.healthcheck = healthcheck
    }

    private enum CodingKeys: String, CodingKey {
        case user = "User"
        case exposedPorts = "ExposedPorts"
        case env = "Env"
        case entrypoint = "Entrypoint"
        case cmd = "Cmd"
        case volumes = "Volumes"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case stopSignal = "StopSignal"
        case stopTimeout = "StopTimeout"
        case healthcheck = "Healthcheck"
        case shell = "Shell"
        case onBuild = "OnBuild"
        case argsEscaped = "ArgsEscaped"
    }
}

/// Docker's image health check; durations in nanoseconds, 0 meaning "inherit the default".
public struct HealthConfig: Hashable, Sendable, Codable {
    /// `["NONE"]`, `["CMD", args…]` or `["CMD-SHELL", command]`.
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var startInterval: Int64?
    public var retries: Int?

    public init(
        test: [String]?, interval: Int64? = nil, timeout: Int64? = nil, startPeriod: Int64? = nil,
        startInterval: Int64? = nil, retries: Int? = nil
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.retries = retries
    }

    private enum CodingKeys: String, CodingKey {
        case test = "Test"
        case interval = "Interval"
        case timeout = "Timeout"
        case startPeriod = "StartPeriod"
        case startInterval = "StartInterval"
        case retries = "Retries"
    }
}

/// The layers of an image as uncompressed-tar digests, base first.
public struct RootFS: Hashable, Sendable, Codable {
    /// Always `layers`.
    public var type: String
    public var diffIDs: [Digest]

    public init(diffIDs: [Digest]) {
        type = "layers"
        self.diffIDs = diffIDs
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case diffIDs = "diff_ids"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        guard type == "layers" else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unsupported rootfs type \(String(reflecting: type)), expected \"layers\"")
        }
        diffIDs = try container.decode([Digest].self, forKey: .diffIDs)
    }
}

/// One step of an image's build history.
public struct History: Hashable, Sendable, Codable {
    public var created: String?
    public var createdBy: String?
    public var author: String?
    public var comment: String?
    /// True when the step made no layer (ENV, CMD, …).
    public var emptyLayer: Bool?

    public init(
        created: String? = nil, createdBy: String? = nil, author: String? = nil, comment: String? = nil,
        emptyLayer: Bool? = nil
    ) {
        self.created = created
        self.createdBy = createdBy
        self.author = author
        self.comment = comment
        self.emptyLayer = emptyLayer
    }

    private enum CodingKeys: String, CodingKey {
        case created, author, comment
        case createdBy = "created_by"
        case emptyLayer = "empty_layer"
    }
}

/// A set of strings written in JSON as an object whose values are empty objects:
/// `{"80/tcp": {}, "53/udp": {}}` (Docker's `ExposedPorts` and `Volumes`). Kept sorted.
public struct KeySet: Hashable, Sendable, Codable, ExpressibleByArrayLiteral {
    /// The keys, sorted.
    public private(set) var keys: [String]

    public init(_ keys: some Sequence<String>) {
        self.keys = Array(Set(keys)).sorted()
    }

    public init(arrayLiteral elements: String...) {
        self.init(elements)
    }

    /// True when `key` is in the set.
    public func contains(_ key: String) -> Bool { keys.contains(key) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Empty: Codable {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        self.init(container.allKeys.map(\.stringValue))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for key in keys { try container.encode(Empty(), forKey: Key(stringValue: key)) }
    }
}
