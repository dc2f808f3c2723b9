import CoveAPI
import CoveCore
import CoveLinux
import CoveRuntime
import CoveStore
import Foundation

extension ContainerRoutes {
    var statsRoutes: [Route] {
        [
            Route(["GET"], "/containers/{name}/stats") { context in
                await Self.answer { () async throws(CoveError) in try stats(context) }
            }
        ]
    }

    /// `GET /containers/{id}/stats?stream=`: Docker's stats JSON from the cgroup files, one object
    /// a second while streaming; with `stream=false` one object whose `precpuStats` is a sample
    /// taken a second before (Docker's CPU percentage needs both). A stopped container's
    /// figures are zero.
    func stats(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let stream = query["stream"].map { query.bool("stream") || $0.isEmpty } ?? true
        let oneShot = query.bool("one-shot")
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let handle = record.isRunning ? try service.adopt(record.id) : nil
        let runtime = service.runtime
        let facts = HostFacts.current()
        return .stream { writer in
            var previous = oneShot ? StatsSample.empty : StatsSample.take(runtime, handle, facts)
            repeat {
                if !oneShot { try await Task.sleep(for: .seconds(1)) }
                let now = StatsSample.take(runtime, handle, facts)
                let body = StatsJSON(record: record, now: now, previous: previous, facts: facts)
                guard await writer.writeLine(body) else { return }
                previous = now
            } while stream && !oneShot
        }
    }
}

/// One reading of a container's cgroup and of the host's CPU time.
struct StatsSample: Sendable {
    var read: String
    /// Nil for a container that is not running.
    var stats: ContainerStats?
    /// Host CPU time in nanoseconds: `/proc/stat`'s first line, in USER_HZ ticks (100 a second on Linux).
    var systemCPU: Int64

    static let empty = StatsSample(read: "0001-01-01T00:00:00Z", stats: nil, systemCPU: 0)

    static func take(_ runtime: Runtime, _ handle: ContainerHandle?, _ facts: HostFacts) -> StatsSample {
        let stats = handle.flatMap { try? runtime.stats($0) }
        let line = ((try? KernelFile.read("/proc/stat")) ?? nil)?.split(separator: "\n").first ?? ""
        let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { Int64($0) }.reduce(0, +)
        return StatsSample(
            read: Timestamp.rfc3339Nano(secondsSince1970: Date().timeIntervalSince1970), stats: stats,
            systemCPU: ticks * 10_000_000)
    }
}

/// Docker's stats object (API v1.43 `StatsJSON`), the fields the docker CLI shows.
struct StatsJSON: Encodable {
    struct CPU: Encodable {
        struct Usage: Encodable {
            var totalUsage: Int64
            var usageInKernelmode: Int64 = 0
            var usageInUsermode: Int64 = 0

            enum CodingKeys: String, CodingKey {
                case totalUsage = "total_usage"
                case usageInKernelmode = "usage_in_kernelmode"
                case usageInUsermode = "usage_in_usermode"
            }
        }
        var cpuUsage: Usage
        var systemCPUUsage: Int64
        var onlineCPUs: Int

        enum CodingKeys: String, CodingKey {
            case cpuUsage = "cpu_usage"
            case systemCPUUsage = "system_cpu_usage"
            case onlineCPUs = "online_cpus"
        }
    }
    struct Memory: Encodable {
        var usage: Int64
        var limit: Int64
        var stats: [String: Int64] = [:]
    }
    struct Pids: Encodable {
        var current: Int64
        var limit: Int64?
    }
    var read: String
    var preread: String
    var pidsStats: Pids
    var cpuStats: CPU
    var precpuStats: CPU
    var memoryStats: Memory
    var name: String
    var id: String

    enum CodingKeys: String, CodingKey {
        case read, preread, name, id
        case pidsStats = "pids_stats"
        case cpuStats = "cpu_stats"
        case precpuStats = "precpu_stats"
        case memoryStats = "memory_stats"
    }

    init(record: ContainerRecord, now: StatsSample, previous: StatsSample, facts: HostFacts) {
        read = now.read
        preread = previous.read
        pidsStats = Pids(current: now.stats?.pids ?? 0, limit: now.stats?.pidsLimit)
        cpuStats = CPU(
            cpuUsage: .init(totalUsage: now.stats?.cpuUsageNanoseconds ?? 0), systemCPUUsage: now.systemCPU,
            onlineCPUs: facts.cpuCount)
        precpuStats = CPU(
            cpuUsage: .init(totalUsage: previous.stats?.cpuUsageNanoseconds ?? 0),
            systemCPUUsage: previous.systemCPU, onlineCPUs: facts.cpuCount)
        let limit = now.stats?.memoryLimit ?? facts.memoryTotal
        memoryStats = Memory(usage: now.stats?.memoryUsage ?? 0, limit: min(limit, facts.memoryTotal))
        name = "/" + record.name
        id = record.id
    }
}
