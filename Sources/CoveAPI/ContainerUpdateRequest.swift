/// The body of `POST /containers/{id}/update` (`docker update`): the resources to change, and
/// the restart policy. A field left out keeps its value.
public struct ContainerUpdateRequest: Codable, Sendable, Equatable {
    public var memory: Int64?
    public var memorySwap: Int64?
    public var cpuShares: Int64?
    public var cpuQuota: Int64?
    public var cpuPeriod: Int64?
    public var nanoCpus: Int64?
    public var cpusetCpus: String?
    public var pidsLimit: Int64?
    public var blkioWeight: Int?
    public var restartPolicy: RestartPolicy?

    /// Docker's `RestartPolicy`: `no`, `always`, `unless-stopped`, `on-failure` (with a count).
    public struct RestartPolicy: Codable, Sendable, Equatable {
        public var name: String
        public var maximumRetryCount: Int?

        public init(name: String, maximumRetryCount: Int? = nil) {
            self.name = name
            self.maximumRetryCount = maximumRetryCount
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case maximumRetryCount = "MaximumRetryCount"
        }
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case memory = "Memory"
        case memorySwap = "MemorySwap"
        case cpuShares = "CpuShares"
        case cpuQuota = "CpuQuota"
        case cpuPeriod = "CpuPeriod"
        case nanoCpus = "NanoCpus"
        case cpusetCpus = "CpusetCpus"
        case pidsLimit = "PidsLimit"
        case blkioWeight = "BlkioWeight"
        case restartPolicy = "RestartPolicy"
    }
}

/// The answer to `POST /containers/{id}/update`.
public struct ContainerUpdateResponse: Codable, Sendable, Equatable {
    public var warnings: [String]

    public init(warnings: [String] = []) { self.warnings = warnings }

    enum CodingKeys: String, CodingKey { case warnings = "Warnings" }
}
