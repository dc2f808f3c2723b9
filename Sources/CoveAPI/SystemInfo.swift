/// The body of `GET /info` (Docker Engine API v1.43, `SystemInfo`): the fields Cove fills truthfully.
///
/// Optional fields are left out of the JSON when Cove has no true value for them.
public struct SystemInfo: Codable, Sendable, Equatable {
    /// The engine's id, stable across restarts on one root.
    public var id: String
    public var containers: Int
    public var containersRunning: Int
    public var containersPaused: Int
    public var containersStopped: Int
    public var images: Int
    /// The storage driver's name.
    public var driver: String
    /// The engine's state root.
    public var dockerRootDir: String
    /// Whether the daemon logs at debug level.
    public var debug: Bool
    /// The daemon's clock, RFC 3339 with nanoseconds.
    public var systemTime: String
    /// File descriptors the daemon has open.
    public var nFd: Int?
    /// "cgroupfs", or "none" when the machine has no cgroups.
    public var cgroupDriver: String
    /// "1" or "2"; absent without cgroups.
    public var cgroupVersion: String?
    public var kernelVersion: String
    /// The distribution's name ("Debian GNU/Linux 12 (bookworm)").
    public var operatingSystem: String
    public var osVersion: String?
    /// "linux".
    public var osType: String
    /// The kernel's machine name ("x86_64"), as Docker reports it here.
    public var architecture: String
    public var ncpu: Int
    /// Total memory in bytes.
    public var memTotal: Int64
    /// The host name.
    public var name: String
    public var labels: [String]
    public var experimentalBuild: Bool
    /// The engine's version.
    public var serverVersion: String
    /// Swarm mode: Cove has none, so its state is always "inactive".
    public var swarm: SwarmInfo
    public var warnings: [String]?

    /// The swarm part of `/info`.
    public struct SwarmInfo: Codable, Sendable, Equatable {
        /// "inactive".
        public var localNodeState: String

        public init(localNodeState: String) {
            self.localNodeState = localNodeState
        }

        enum CodingKeys: String, CodingKey {
            case localNodeState = "LocalNodeState"
        }
    }

    public init(
        id: String, containers: Int = 0, containersRunning: Int = 0, containersPaused: Int = 0,
        containersStopped: Int = 0, images: Int = 0, driver: String, dockerRootDir: String, debug: Bool,
        systemTime: String, nFd: Int? = nil, cgroupDriver: String, cgroupVersion: String?, kernelVersion: String,
        operatingSystem: String, osVersion: String?, osType: String, architecture: String, ncpu: Int, memTotal: Int64,
        name: String, labels: [String] = [], experimentalBuild: Bool = false, serverVersion: String,
        swarm: SwarmInfo = SwarmInfo(localNodeState: "inactive"), warnings: [String]? = nil
    ) {
        self.id = id
        self.containers = containers
        self.containersRunning = containersRunning
        self.containersPaused = containersPaused
        self.containersStopped = containersStopped
        self.images = images
        self.driver = driver
        self.dockerRootDir = dockerRootDir
        self.debug = debug
        self.systemTime = systemTime
        self.nFd = nFd
        self.cgroupDriver = cgroupDriver
        self.cgroupVersion = cgroupVersion
        self.kernelVersion = kernelVersion
        self.operatingSystem = operatingSystem
        self.osVersion = osVersion
        self.osType = osType
        self.architecture = architecture
        self.ncpu = ncpu
        self.memTotal = memTotal
        self.name = name
        self.labels = labels
        self.experimentalBuild = experimentalBuild
        self.serverVersion = serverVersion
        self.swarm = swarm
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case containers = "Containers"
        case containersRunning = "ContainersRunning"
        case containersPaused = "ContainersPaused"
        case containersStopped = "ContainersStopped"
        case images = "Images"
        case driver = "Driver"
        case dockerRootDir = "DockerRootDir"
        case debug = "Debug"
        case systemTime = "SystemTime"
        case nFd = "NFd"
        case cgroupDriver = "CgroupDriver"
        case cgroupVersion = "CgroupVersion"
        case kernelVersion = "KernelVersion"
        case operatingSystem = "OperatingSystem"
        case osVersion = "OSVersion"
        case osType = "OSType"
        case architecture = "Architecture"
        case ncpu = "NCPU"
        case memTotal = "MemTotal"
        case name = "Name"
        case labels = "Labels"
        case experimentalBuild = "ExperimentalBuild"
        case serverVersion = "ServerVersion"
        case swarm = "Swarm"
        case warnings = "Warnings"
    }
}
