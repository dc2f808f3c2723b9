/// What `docker stats` shows, from the cgroup files.
public struct ContainerStats: Sendable, Equatable {
    /// Bytes in use (v1 `memory.usage_in_bytes`, v2 `memory.current`).
    public var memoryUsage: Int64?
    /// The limit in bytes (the kernel's "no limit" value when none was set).
    public var memoryLimit: Int64?
    /// CPU time in nanoseconds (v1 `cpuacct.usage`, v2 `cpu.stat usage_usec` × 1000).
    public var cpuUsageNanoseconds: Int64?
    public var pids: Int64?
    public var pidsLimit: Int64?
}
