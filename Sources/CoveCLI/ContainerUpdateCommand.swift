import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove container update [OPTIONS] CONTAINER...`: new resource limits (and restart policy) for
/// containers, applied at once to running ones (`POST /containers/{id}/update`).
struct ContainerUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Update the resource limits of one or more containers.")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: ArgumentHelp("Memory limit (512m, 1g).", valueName: "bytes"))
    var memory: String?

    @Option(
        name: .customLong("memory-swap"),
        help: ArgumentHelp("Memory plus swap limit; -1 for unlimited swap.", valueName: "bytes"))
    var memorySwap: String?

    @Option(help: "Number of CPUs (1.5).")
    var cpus: Double?

    @Option(name: [.customShort("c"), .customLong("cpu-shares")], help: "CPU shares (relative weight).")
    var cpuShares: Int64?

    @Option(name: .customLong("cpu-quota"), help: "CPU CFS quota in microseconds.")
    var cpuQuota: Int64?

    @Option(name: .customLong("cpu-period"), help: "CPU CFS period in microseconds.")
    var cpuPeriod: Int64?

    @Option(name: .customLong("cpuset-cpus"), help: "CPUs the container may use (0-3, 0,1).")
    var cpusetCpus: String?

    @Option(name: .customLong("pids-limit"), help: "Process limit (-1 for unlimited).")
    var pidsLimit: Int64?

    @Option(name: .customLong("blkio-weight"), help: "Block IO weight (10 to 1000, 0 to leave it).")
    var blkioWeight: Int?

    @Option(help: ArgumentHelp("Restart policy: no, always, unless-stopped, on-failure[:N].", valueName: "policy"))
    var restart: String?

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("at least one container is needed") }
    }

    func run() async throws {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(try request()))
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.internalError, "cannot encode the update request", cause: "\(error)")
        }
        let client = try await ImageCommandSupport.connect(root)
        try await ContainerCommandSupport.each(containers) { (container) throws(CoveError) in
            _ = try await client.send(
                method: "POST", path: ContainerCommandSupport.path(container, "update"), body: body)
        }
    }

    func request() throws(CoveError) -> ContainerUpdateRequest {
        var request = ContainerUpdateRequest()
        if let memory { request.memory = try ContainerCreateOptions.bytes(memory, flag: "--memory") }
        if let memorySwap {
            request.memorySwap =
                memorySwap == "-1" ? -1 : try ContainerCreateOptions.bytes(memorySwap, flag: "--memory-swap")
        }
        if let cpus {
            guard cpus > 0 else { throw CoveError(.invalidInput, "invalid argument \"\(cpus)\" for \"--cpus\"") }
            request.nanoCpus = Int64((cpus * 1e9).rounded())
        }
        request.cpuShares = cpuShares
        request.cpuQuota = cpuQuota
        request.cpuPeriod = cpuPeriod
        request.cpusetCpus = cpusetCpus
        request.pidsLimit = pidsLimit
        request.blkioWeight = blkioWeight
        if let restart {
            let parts = restart.split(separator: ":", maxSplits: 1).map(String.init)
            guard let name = parts.first, ["no", "always", "unless-stopped", "on-failure"].contains(name) else {
                throw CoveError(.invalidInput, "invalid restart policy \(restart)")
            }
            var count: Int?
            if parts.count == 2 {
                guard name == "on-failure", let value = Int(parts[1]), value >= 0 else {
                    throw CoveError(.invalidInput, "invalid restart policy \(restart)")
                }
                count = value
            }
            request.restartPolicy = .init(name: name, maximumRetryCount: count)
        }
        return request
    }
}
