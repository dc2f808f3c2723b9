import CoveAPI
import CoveCore
import CoveRuntime
import CoveStore
import Foundation

extension ContainerRoutes {
    var updateRoutes: [Route] {
        [
            Route(["POST"], "/containers/{name}/update") { context in
                await Self.answer { () async throws(CoveError) in try update(context) }
            }
        ]
    }

    /// `POST /containers/{id}/update`: new resource limits, written into a running container's
    /// cgroup, and recorded with the restart policy in the container's `HostConfig`. As in
    /// Docker, a zero (or empty) field keeps its value; a `PidsLimit` of 0 or -1 is unlimited.
    func update(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let request: ContainerUpdateRequest
        do {
            request = try JSONDecoder().decode(ContainerUpdateRequest.self, from: Data(context.request.body))
        } catch {
            throw CoveError(.invalidInput, "invalid JSON in the update request", cause: "\(error)")
        }
        if let weight = request.blkioWeight, weight != 0, !(10...1000).contains(weight) {
            throw CoveError(.invalidInput, "Range of blkio weight is from 10 to 1000")
        }
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let text = try ContainerUpdate.merge(request, into: record.config)
        let config = try ContainerService.decode(text)
        var limits = try ContainerSpecBuilder.limits(config.hostConfig ?? HostConfig())
        if let pids = request.pidsLimit, pids <= 0 { limits.pidsLimit = -1 }
        if let weight = request.blkioWeight, weight != 0 { limits.blkioWeight = weight }
        if record.isRunning, let cgroup = try service.adopt(record.id)?.cgroup {
            try cgroup.update(limits)
        }
        try service.repository.update(record.id) { $0.config = text }
        return .json(ContainerUpdateResponse())
    }
}

/// Folds an update request into a container's stored config (JSON text), keeping every field
/// it does not change, those this version's `HostConfig` does not model included.
enum ContainerUpdate {
    static func merge(_ request: ContainerUpdateRequest, into config: String) throws(CoveError) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(config.utf8))) as? [String: Any] else {
            throw CoveError(.internalError, "the stored container config cannot be read")
        }
        var host = object["HostConfig"] as? [String: Any] ?? [:]
        let numbers: [(String, Int64?)] = [
            ("Memory", request.memory), ("MemorySwap", request.memorySwap), ("CpuShares", request.cpuShares),
            ("CpuQuota", request.cpuQuota), ("CpuPeriod", request.cpuPeriod), ("NanoCpus", request.nanoCpus),
            ("BlkioWeight", request.blkioWeight.map(Int64.init)),
        ]
        for (key, value) in numbers {
            if let value, value != 0 { host[key] = value }
        }
        if let cpus = request.cpusetCpus, !cpus.isEmpty { host["CpusetCpus"] = cpus }
        if let pids = request.pidsLimit { host["PidsLimit"] = pids > 0 ? pids : 0 }
        if let policy = request.restartPolicy, !policy.name.isEmpty {
            host["RestartPolicy"] = ["Name": policy.name, "MaximumRetryCount": policy.maximumRetryCount ?? 0]
        }
        if let memory = (host["Memory"] as? NSNumber)?.int64Value,
            let swap = (host["MemorySwap"] as? NSNumber)?.int64Value, swap > 0, memory > swap
        {
            throw CoveError(
                .invalidInput, "Minimum memoryswap limit should be larger than memory limit, see usage")
        }
        object["HostConfig"] = host
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { throw CoveError(.internalError, "cannot encode the container's config") }
        return text
    }
}
