/// One entry of `GET /containers/json` (API v1.43 `ContainerSummary`).
public struct ContainerSummary: Codable, Sendable, Equatable {
    public var id: String
    /// Docker's form: `["/name"]`.
    public var names: [String]
    public var image: String
    public var imageID: String
    public var command: String
    /// Unix seconds.
    public var created: Int64
    public var labels: [String: String]
    /// `created`, `running`, `paused`, `exited`, …
    public var state: String
    /// `Up 3 seconds`, `Exited (0) 2 minutes ago`, `Created`.
    public var status: String
    public var ports: [String]
    public var mounts: [MountPoint]

    public init(
        id: String, names: [String], image: String, imageID: String, command: String, created: Int64,
        labels: [String: String], state: String, status: String, mounts: [MountPoint]
    ) {
        self.id = id
        self.names = names
        self.image = image
        self.imageID = imageID
        self.command = command
        self.created = created
        self.labels = labels
        self.state = state
        self.status = status
        ports = []
        self.mounts = mounts
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case names = "Names"
        case image = "Image"
        case imageID = "ImageID"
        case command = "Command"
        case created = "Created"
        case labels = "Labels"
        case state = "State"
        case status = "Status"
        case ports = "Ports"
        case mounts = "Mounts"
    }
}

/// A mount of a container, as list and inspect show it.
public struct MountPoint: Codable, Sendable, Equatable {
    /// `bind`, `volume` or `tmpfs`.
    public var type: String
    /// The volume's name; absent for other types.
    public var name: String?
    public var source: String
    public var destination: String
    /// `local` for a volume; absent for other types.
    public var driver: String?
    public var mode: String
    public var readWrite: Bool
    public var propagation: String

    public init(
        type: String, name: String? = nil, source: String, destination: String, driver: String? = nil,
        mode: String, readWrite: Bool, propagation: String? = nil
    ) {
        self.type = type
        self.name = name
        self.source = source
        self.destination = destination
        self.driver = driver
        self.mode = mode
        self.readWrite = readWrite
        self.propagation = propagation ?? (type == "bind" ? "rprivate" : "")
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case name = "Name"
        case driver = "Driver"
        case source = "Source"
        case destination = "Destination"
        case mode = "Mode"
        case readWrite = "RW"
        case propagation = "Propagation"
    }
}

/// `GET /containers/{id}/json` (API v1.43 `ContainerJSON`), the fields Cove knows.
public struct ContainerInspect: Codable, Sendable, Equatable {
    public var id: String
    public var created: String
    public var path: String
    public var args: [String]
    public var state: ContainerStateJSON
    public var image: String
    public var resolvConfPath: String
    public var hostnamePath: String
    public var hostsPath: String
    public var logPath: String
    /// `/name`.
    public var name: String
    public var restartCount: Int
    public var driver: String
    public var platform: String
    public var config: ContainerCreateRequest
    public var hostConfig: HostConfig
    public var mounts: [MountPoint]

    public init(
        id: String, created: String, path: String, args: [String], state: ContainerStateJSON, image: String,
        stateDirectory: String, logPath: String, name: String, config: ContainerCreateRequest, hostConfig: HostConfig,
        mounts: [MountPoint]
    ) {
        self.id = id
        self.created = created
        self.path = path
        self.args = args
        self.state = state
        self.image = image
        resolvConfPath = stateDirectory + "/resolv.conf"
        hostnamePath = stateDirectory + "/hostname"
        hostsPath = stateDirectory + "/hosts"
        self.logPath = logPath
        self.name = name
        restartCount = 0
        driver = "overlay2"
        platform = "linux"
        self.config = config
        self.hostConfig = hostConfig
        self.mounts = mounts
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case created = "Created"
        case path = "Path"
        case args = "Args"
        case state = "State"
        case image = "Image"
        case resolvConfPath = "ResolvConfPath"
        case hostnamePath = "HostnamePath"
        case hostsPath = "HostsPath"
        case logPath = "LogPath"
        case name = "Name"
        case restartCount = "RestartCount"
        case driver = "Driver"
        case platform = "Platform"
        case config = "Config"
        case hostConfig = "HostConfig"
        case mounts = "Mounts"
    }
}

/// The `State` of an inspected container.
public struct ContainerStateJSON: Codable, Sendable, Equatable {
    public var status: String
    public var running: Bool
    public var paused: Bool
    public var restarting: Bool
    public var oomKilled: Bool
    public var dead: Bool
    public var pid: Int32
    public var exitCode: Int32
    public var error: String
    public var startedAt: String
    public var finishedAt: String
    /// Present once a container with a healthcheck has started.
    public var health: ContainerHealth?

    public init(
        status: String, pid: Int32, exitCode: Int32, oomKilled: Bool, error: String, startedAt: String,
        finishedAt: String
    ) {
        self.status = status
        running = status == "running" || status == "paused"
        paused = status == "paused"
        restarting = status == "restarting"
        self.oomKilled = oomKilled
        dead = status == "dead"
        self.pid = pid
        self.exitCode = exitCode
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case running = "Running"
        case paused = "Paused"
        case restarting = "Restarting"
        case oomKilled = "OOMKilled"
        case dead = "Dead"
        case pid = "Pid"
        case exitCode = "ExitCode"
        case error = "Error"
        case startedAt = "StartedAt"
        case finishedAt = "FinishedAt"
        case health = "Health"
    }
}
