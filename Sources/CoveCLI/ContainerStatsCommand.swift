import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove container stats`: one snapshot of the containers' resource use (CPU over one second,
/// memory against the limit, processes), as `docker stats --no-stream` prints it.
struct ContainerStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Display a snapshot of the containers' resource usage (running ones unless named).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @ParentCommand var root: CoveCommand

    @Flag(help: "Print one snapshot (what cove always does; accepted as docker's flag).")
    var noStream = false

    @Option(help: "Output format: a table, or one JSON object per line.")
    var format: Format = .table

    @Argument(help: "The containers (name, id or id prefix); all running ones when none is named.")
    var containers: [String] = []

    /// The part of Docker's stats object this command reads.
    struct Stats: Decodable {
        struct CPU: Decodable {
            struct Usage: Decodable {
                var totalUsage: Int64
                enum CodingKeys: String, CodingKey { case totalUsage = "total_usage" }
            }
            var cpuUsage: Usage
            var systemCPUUsage: Int64?
            var onlineCPUs: Int?
            enum CodingKeys: String, CodingKey {
                case cpuUsage = "cpu_usage"
                case systemCPUUsage = "system_cpu_usage"
                case onlineCPUs = "online_cpus"
            }
        }
        struct Memory: Decodable {
            var usage: Int64?
            var limit: Int64?
        }
        struct Pids: Decodable { var current: Int64? }
        var name: String
        var id: String
        var cpuStats: CPU
        var precpuStats: CPU
        var memoryStats: Memory
        var pidsStats: Pids
        enum CodingKeys: String, CodingKey {
            case name, id
            case cpuStats = "cpu_stats"
            case precpuStats = "precpu_stats"
            case memoryStats = "memory_stats"
            case pidsStats = "pids_stats"
        }

        /// Docker's CPU percentage: the container's share of the host's CPU time, times the CPUs.
        var cpuPercent: Double {
            let container = Double(cpuStats.cpuUsage.totalUsage - precpuStats.cpuUsage.totalUsage)
            let system = Double((cpuStats.systemCPUUsage ?? 0) - (precpuStats.systemCPUUsage ?? 0))
            guard container > 0, system > 0 else { return 0 }
            return container / system * Double(cpuStats.onlineCPUs ?? 1) * 100
        }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var names = containers
        if names.isEmpty {
            do throws(CoveError) {
                let response = try await client.send(method: "GET", path: "/containers/json")
                names = try ContainerCommandSupport.decode([ContainerSummary].self, response.body, what: "list").map(
                    \.id)
            } catch {
                throw ImageCommandSupport.plain(error)
            }
        }
        var rows: [Stats] = []
        try await ContainerCommandSupport.each(names, printName: false) { container throws(CoveError) in
            let response = try await client.send(
                method: "GET", path: ContainerCommandSupport.path(container, "stats"), query: [("stream", "0")])
            rows.append(try ContainerCommandSupport.decode(Stats.self, response.body, what: "stats"))
        }
        var table = TextTable(header: ["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS"])
        for row in rows {
            let usage = row.memoryStats.usage ?? 0
            let limit = row.memoryStats.limit ?? 0
            let memoryPercent = limit > 0 ? Double(usage) / Double(limit) * 100 : 0
            let cells = [
                String(row.id.prefix(12)), row.name.hasPrefix("/") ? String(row.name.dropFirst()) : row.name,
                String(format: "%.2f%%", row.cpuPercent),
                "\(Self.binarySize(usage)) / \(Self.binarySize(limit))", String(format: "%.2f%%", memoryPercent),
                String(row.pidsStats.current ?? 0),
            ]
            switch format {
            case .table:
                table.rows.append(cells)
            case .json:
                let object = Dictionary(
                    uniqueKeysWithValues: zip(["ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "PIDs"], cells))
                let data = try JSONSerialization.data(
                    withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                Output.write(String(decoding: data, as: UTF8.self) + "\n")
            }
        }
        if format == .table { Output.write(table.text) }
    }

    /// Docker's `units.BytesSize`: binary units, four significant digits (`284KiB`, `23.54GiB`).
    static func binarySize(_ bytes: Int64) -> String {
        var value = Double(bytes)
        var unit = 0
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.4g", value) + units[unit]
    }
}
