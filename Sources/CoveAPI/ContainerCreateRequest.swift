/// The body of `POST /containers/create` (API v1.43 `ContainerConfig` with `HostConfig`), the
/// fields Cove acts on; others are ignored. Written by the CLI, read by the engine, and echoed
/// back by inspect as `Config` and `HostConfig`.
public struct ContainerCreateRequest: Codable, Sendable, Equatable {
    public var hostname: String?
    public var user: String?
    public var attachStdin: Bool?
    public var attachStdout: Bool?
    public var attachStderr: Bool?
    public var tty: Bool?
    public var openStdin: Bool?
    public var stdinOnce: Bool?
    public var env: [String]?
    /// A list, or (older clients) one string.
    public var cmd: StringList?
    public var image: String?
    public var workingDir: String?
    public var entrypoint: StringList?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var stopTimeout: Int?
    /// Mount points that get an anonymous volume (`-v /data`); the image's are added by the engine.
    public var volumes: [String: [String: String]]?
    public var healthcheck: Healthcheck?
    public var hostConfig: HostConfig?

    public init(image: String) {
        self.image = image
    }

    enum CodingKeys: String, CodingKey {
        case hostname = "Hostname"
        case user = "User"
        case attachStdin = "AttachStdin"
        case attachStdout = "AttachStdout"
        case attachStderr = "AttachStderr"
        case tty = "Tty"
        case openStdin = "OpenStdin"
        case stdinOnce = "StdinOnce"
        case env = "Env"
        case cmd = "Cmd"
        case image = "Image"
        case workingDir = "WorkingDir"
        case entrypoint = "Entrypoint"
        case labels = "Labels"
        case stopSignal = "StopSignal"
        case stopTimeout = "StopTimeout"
        case volumes = "Volumes"
        case healthcheck = "Healthcheck"
        case hostConfig = "HostConfig"
    }
}

/// A JSON list of strings that older clients may send as one string.
public struct StringList: Codable, Sendable, Equatable {
    public var values: [String]

    public init(_ values: [String]) {
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// `HostConfig` of a create request, the fields Cove acts on.
public struct HostConfig: Codable, Sendable, Equatable {
    /// `host-path:container-path[:ro|rw]`.
    public var binds: [String]?
    /// `--mount`: binds, volumes and tmpfs with their options.
    public var mounts: [MountSpec]?
    public var networkMode: String?
    public var autoRemove: Bool?
    public var restartPolicy: RestartPolicy?
    public var privileged: Bool?
    public var readonlyRootfs: Bool?
    public var capAdd: [String]?
    public var capDrop: [String]?
    /// `seccomp=unconfined`, `no-new-privileges[:true]`.
    public var securityOpt: [String]?
    public var sysctls: [String: String]?
    /// Mount point → options (`size=64m,mode=1777`).
    public var tmpfs: [String: String]?
    public var initProcess: Bool?
    public var memory: Int64?
    public var memorySwap: Int64?
    public var nanoCpus: Int64?
    public var cpuShares: Int64?
    public var cpuQuota: Int64?
    public var cpuPeriod: Int64?
    public var cpusetCpus: String?
    public var pidsLimit: Int64?
    public var ulimits: [Ulimit]?
    public var shmSize: Int64?
    public var groupAdd: [String]?
    /// The log driver: always `json-file` in Cove.
    public var logConfig: LogConfig?
    /// The pty's initial size, `[rows, columns]`.
    public var consoleSize: [Int]?

    public init() {}

    public struct LogConfig: Codable, Sendable, Equatable {
        public var type: String
        public var config: [String: String]

        public init(type: String, config: [String: String] = [:]) {
            self.type = type
            self.config = config
        }

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case config = "Config"
        }
    }

    enum CodingKeys: String, CodingKey {
        case binds = "Binds"
        case mounts = "Mounts"
        case networkMode = "NetworkMode"
        case autoRemove = "AutoRemove"
        case restartPolicy = "RestartPolicy"
        case privileged = "Privileged"
        case readonlyRootfs = "ReadonlyRootfs"
        case capAdd = "CapAdd"
        case capDrop = "CapDrop"
        case securityOpt = "SecurityOpt"
        case sysctls = "Sysctls"
        case tmpfs = "Tmpfs"
        case initProcess = "Init"
        case memory = "Memory"
        case memorySwap = "MemorySwap"
        case nanoCpus = "NanoCpus"
        case cpuShares = "CpuShares"
        case cpuQuota = "CpuQuota"
        case cpuPeriod = "CpuPeriod"
        case cpusetCpus = "CpusetCpus"
        case pidsLimit = "PidsLimit"
        case ulimits = "Ulimits"
        case shmSize = "ShmSize"
        case groupAdd = "GroupAdd"
        case logConfig = "LogConfig"
        case consoleSize = "ConsoleSize"
    }

    /// `--ulimit name=soft:hard`.
    public struct Ulimit: Codable, Sendable, Equatable {
        public var name: String
        public var soft: Int64
        public var hard: Int64

        public init(name: String, soft: Int64, hard: Int64) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case soft = "Soft"
            case hard = "Hard"
        }
    }
}

/// The answer to `POST /containers/create`.
public struct ContainerCreateResponse: Codable, Sendable, Equatable {
    public var id: String
    public var warnings: [String]

    public init(id: String, warnings: [String] = []) {
        self.id = id
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case warnings = "Warnings"
    }
}

/// The answer to `POST /containers/{id}/wait`.
public struct ContainerWaitResponse: Codable, Sendable, Equatable {
    public var statusCode: Int64
    public var error: WaitError?

    public struct WaitError: Codable, Sendable, Equatable {
        public var message: String
        enum CodingKeys: String, CodingKey { case message = "Message" }
    }

    public init(statusCode: Int64, error: String? = nil) {
        self.statusCode = statusCode
        self.error = error.map { WaitError(message: $0) }
    }

    enum CodingKeys: String, CodingKey {
        case statusCode = "StatusCode"
        case error = "Error"
    }
}
