/// A container's resource limits, as Docker's HostConfig names them; `nil` is no limit.
public struct CgroupLimits: Sendable, Equatable {
    /// `--memory` in bytes.
    public var memory: Int64?
    /// `--memory-swap`: memory plus swap in bytes; -1 is unlimited swap.
    public var memorySwap: Int64?
    /// `--cpu-quota` (or `--cpus` × period) in microseconds per period.
    public var cpuQuota: Int64?
    /// `--cpu-period` in microseconds (the kernel's default is 100000).
    public var cpuPeriod: Int64?
    /// `--cpu-shares` (relative weight, 1024 is the default).
    public var cpuShares: Int64?
    /// `--cpuset-cpus` (`0-3,5`).
    public var cpusetCpus: String?
    /// `--cpuset-mems`.
    public var cpusetMems: String?
    /// `--pids-limit`; -1 or 0 is unlimited.
    public var pidsLimit: Int64?
    /// `--blkio-weight` (10–1000), applied where the kernel has the file.
    public var blkioWeight: Int?

    public init() {}

    /// `--cpus 1.5` → quota 150000 for the default period, as Docker computes it.
    public mutating func setCPUs(_ cpus: Double) {
        let period = cpuPeriod ?? 100_000
        cpuPeriod = period
        cpuQuota = Int64((cpus * Double(period)).rounded())
    }
}
