import ArgumentParser
import CoveAPI
import CoveCore

/// The limits, kernel settings, stop and log flags of `container create` and `container run`,
/// as the docker CLI's.
struct ContainerResourceOptions: ParsableArguments {
    @Option(
        name: .customLong("memory-swap"), parsing: .unconditional,
        help: ArgumentHelp("Memory plus swap limit (-1 for unlimited swap).", valueName: "bytes"))
    var memorySwap: String?

    @Option(name: [.customShort("c"), .customLong("cpu-shares")], help: "CPU shares (relative weight).")
    var cpuShares: Int64?

    @Option(name: .customLong("cpuset-cpus"), help: ArgumentHelp("CPUs to run on (0-3, 0,1).", valueName: "cpus"))
    var cpusetCpus: String?

    @Option(name: .customLong("shm-size"), help: ArgumentHelp("Size of /dev/shm (64m).", valueName: "bytes"))
    var shmSize: String?

    @Option(help: ArgumentHelp("Resource limit (nofile=1024:2048).", valueName: "name=soft[:hard]"))
    var ulimit: [String] = []

    @Option(help: ArgumentHelp("Namespaced kernel parameter.", valueName: "key=value"))
    var sysctl: [String] = []

    @Option(name: .customLong("group-add"), help: ArgumentHelp("Additional group to join.", valueName: "group"))
    var groupAdd: [String] = []

    @Option(name: .customLong("stop-signal"), help: "Signal to stop the container (SIGTERM).")
    var stopSignal: String?

    @Option(name: .customLong("stop-timeout"), help: "Seconds to wait for the stop signal before SIGKILL.")
    var stopTimeout: Int?

    @Option(name: .customLong("log-driver"), help: ArgumentHelp("Logging driver: json-file.", valueName: "driver"))
    var logDriver: String?

    @Option(
        name: .customLong("log-opt"),
        help: ArgumentHelp("Log driver option (max-size, max-file).", valueName: "key=value"))
    var logOpt: [String] = []

    /// Puts the flags into the request's config and host config.
    func apply(to request: inout ContainerCreateRequest, host: inout HostConfig) throws(CoveError) {
        if let memorySwap {
            host.memorySwap =
                memorySwap == "-1" ? -1 : try ContainerCreateOptions.bytes(memorySwap, flag: "--memory-swap")
        }
        host.cpuShares = cpuShares
        host.cpusetCpus = cpusetCpus
        if let shmSize { host.shmSize = try ContainerCreateOptions.bytes(shmSize, flag: "--shm-size") }
        if !ulimit.isEmpty { host.ulimits = try ulimit.map { (text) throws(CoveError) in try Self.ulimit(text) } }
        if !sysctl.isEmpty { host.sysctls = try Self.pairs(sysctl, flag: "--sysctl") }
        if !groupAdd.isEmpty { host.groupAdd = groupAdd }
        request.stopSignal = stopSignal
        request.stopTimeout = stopTimeout
        if logDriver != nil || !logOpt.isEmpty {
            host.logConfig = HostConfig.LogConfig(
                type: logDriver ?? "json-file", config: try Self.pairs(logOpt, flag: "--log-opt"))
        }
    }

    /// `nofile=1024:2048`, `nproc=512` (soft and hard alike), as the docker CLI reads them.
    static func ulimit(_ text: String) throws(CoveError) -> HostConfig.Ulimit {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let values = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false) : []
        guard parts.count == 2, !parts[0].isEmpty, (1...2).contains(values.count),
            let soft = Int64(values[0]), let hard = Int64(values.last ?? "")
        else {
            throw CoveError(.invalidInput, "invalid argument \"\(text)\" for \"--ulimit\": expected name=soft[:hard]")
        }
        guard soft <= hard || hard < 0 else {
            throw CoveError(
                .invalidInput,
                "invalid argument \"\(text)\" for \"--ulimit\": soft limit \(soft) is above hard limit \(hard)")
        }
        return HostConfig.Ulimit(name: parts[0], soft: soft, hard: hard)
    }

    /// `key=value` items as a map; an item without `=` is refused.
    static func pairs(_ items: [String], flag: String) throws(CoveError) -> [String: String] {
        var map: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CoveError(.invalidInput, "invalid argument \"\(item)\" for \"\(flag)\": expected key=value")
            }
            map[parts[0]] = parts[1]
        }
        return map
    }
}
