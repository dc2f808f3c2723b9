import CoveAPI
import CoveCore
import CoveStore
import Foundation

extension ContainerRoutes {
    var queryRoutes: [Route] {
        [
            Route(["GET"], "/containers/json") { context in
                await Self.answer { () async throws(CoveError) in try list(context) }
            },
            Route(["GET"], "/containers/{name}/json") { context in
                await Self.answer { () async throws(CoveError) in try inspect(context.pathParameter ?? "") }
            },
            Route(["POST"], "/containers/prune") { context in
                await Self.answer { () async throws(CoveError) in try prune(context) }
            },
        ]
    }

    /// `GET /containers/json?all=&filters=`: running ones only unless `all`; filters `id`
    /// (prefix), `name` (substring, as Docker), `label` (`key` or `key=value`), `status`,
    /// `health` (`starting`, `healthy`, `unhealthy`, `none`).
    func list(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let filters = try query.filters()
        for name in filters.keys where !["id", "name", "label", "status", "health"].contains(name) {
            throw CoveError(.invalidInput, "invalid filter '\(name)'")
        }
        let statuses = ["created", "restarting", "running", "removing", "paused", "exited", "dead"]
        for status in filters["status"] ?? [] where !statuses.contains(status) {
            throw CoveError(.invalidInput, "invalid filter 'status=\(status)'")
        }
        let all = query.bool("all") || filters["status"] != nil
        var summaries: [ContainerSummary] = []
        let volumeMounts = try service.volumes.repository.mountsByContainer()
        for record in try service.repository.list() {
            if !all, !record.isRunning { continue }
            if let ids = filters["id"], !ids.contains(where: { record.id.hasPrefix($0) }) { continue }
            if let names = filters["name"],
                !names.contains(where: { record.name.contains($0.hasPrefix("/") ? String($0.dropFirst()) : $0) })
            {
                continue
            }
            if let statuses = filters["status"], !statuses.contains(record.status) { continue }
            let health = service.lifecycle.read(record.id).health?.status
            if let wanted = filters["health"], !wanted.contains(health ?? "none") { continue }
            let config = try ContainerService.decode(record.config)
            if let labels = filters["label"], !Self.matches(config.labels ?? [:], labels) { continue }
            let command = ((config.entrypoint?.values ?? []) + (config.cmd?.values ?? [])).joined(separator: " ")
            summaries.append(
                ContainerSummary(
                    id: record.id, names: ["/" + record.name], image: record.imageName,
                    imageID: record.imageID.description,
                    command: command, created: Int64(record.createdAt.timeIntervalSince1970),
                    labels: config.labels ?? [:],
                    state: record.status,
                    status: Self.statusText(record, health: health),
                    mounts: mountPoints(config, volumes: volumeMounts[record.id] ?? [:])))
        }
        return .json(summaries)
    }

    /// `GET /containers/{id}/json`.
    func inspect(_ text: String) throws(CoveError) -> APIResponse {
        let record = try service.repository.resolve(text)
        let config = try ContainerService.decode(record.config)
        let arguments = (config.entrypoint?.values ?? []) + (config.cmd?.values ?? [])
        let never = "0001-01-01T00:00:00Z"
        let lifecycle = service.lifecycle.read(record.id)
        var state = ContainerStateJSON(
            status: record.status, pid: record.isRunning ? record.pid : 0, exitCode: record.exitCode,
            oomKilled: record.oomKilled, error: record.error,
            startedAt: record.startedAt.isEmpty ? never : record.startedAt,
            finishedAt: record.finishedAt.isEmpty ? never : record.finishedAt)
        state.health = lifecycle.health
        let host = config.hostConfig ?? HostConfig()
        var shown = config
        shown.hostConfig = nil
        if (shown.hostname ?? "").isEmpty { shown.hostname = String(record.id.prefix(12)) }
        var body = ContainerInspect(
            id: record.id,
            created: Timestamp.rfc3339Nano(secondsSince1970: record.createdAt.timeIntervalSince1970),
            path: arguments.first ?? "", args: Array(arguments.dropFirst()), state: state,
            image: record.imageID.description, stateDirectory: service.stateDirectory(record.id),
            logPath: service.logPath(record.id), name: "/" + record.name, config: shown, hostConfig: host,
            mounts: mountPoints(config, volumes: try service.volumes.repository.mounts(of: record.id)))
        body.restartCount = lifecycle.restartCount
        return .json(body)
    }

    /// `POST /containers/prune`: removes every container that is not running (filter `label`).
    func prune(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let filters = try QueryParameters(context.request.query).filters()
        for name in filters.keys where !["label", "until"].contains(name) {
            throw CoveError(.invalidInput, "invalid filter '\(name)'")
        }
        var deleted: [String] = []
        for record in try service.repository.list() where !record.isRunning {
            let config = try ContainerService.decode(record.config)
            if let labels = filters["label"], !Self.matches(config.labels ?? [:], labels) { continue }
            try service.remove(record.id, force: false)
            deleted.append(record.id)
        }
        return .json(PruneReport(containersDeleted: deleted, spaceReclaimed: 0))
    }

    /// The container's mounts as Docker shows them; a stored config that no longer parses shows none.
    func mountPoints(_ config: ContainerCreateRequest, volumes: [String: String]) -> [MountPoint] {
        guard let requested = try? RequestedMounts.parse(config) else { return [] }
        return ContainerSpecBuilder.mountPoints(requested, volumes: volumes, volumesRoot: service.volumes.root)
    }

    struct PruneReport: Encodable {
        var containersDeleted: [String]
        var spaceReclaimed: Int64
        enum CodingKeys: String, CodingKey {
            case containersDeleted = "ContainersDeleted"
            case spaceReclaimed = "SpaceReclaimed"
        }
    }

    /// Every filter is `key` (present) or `key=value`.
    static func matches(_ labels: [String: String], _ filters: [String]) -> Bool {
        filters.allSatisfy { filter in
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = parts.first, let value = labels[key] else { return false }
            return parts.count == 1 || parts[1] == value
        }
    }

    /// Docker's human status: `Created`, `Up 5 seconds`, `Up 2 minutes (Paused)`,
    /// `Up 3 seconds (healthy)`, `Up 1 second (health: starting)`, `Exited (3) 1 hour ago`,
    /// `Restarting (1) 2 seconds ago`.
    static func statusText(_ record: ContainerRecord, health: String? = nil, now: Date = Date()) -> String {
        switch record.status {
        case "running", "paused":
            let since = Self.date(record.startedAt) ?? record.createdAt
            let up = "Up \(Self.humanDuration(now.timeIntervalSince(since)))"
            if record.status == "paused" { return up + " (Paused)" }
            guard let health else { return up }
            return up + (health == "starting" ? " (health: starting)" : " (\(health))")
        case "restarting":
            let since = Self.date(record.finishedAt) ?? record.createdAt
            return "Restarting (\(record.exitCode)) \(Self.humanDuration(now.timeIntervalSince(since))) ago"
        case "exited":
            let since = Self.date(record.finishedAt) ?? record.createdAt
            return "Exited (\(record.exitCode)) \(Self.humanDuration(now.timeIntervalSince(since))) ago"
        default:
            return record.status.prefix(1).uppercased() + record.status.dropFirst()
        }
    }

    static func date(_ text: String) -> Date? {
        guard !text.isEmpty else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trimmed = Self.trimFraction(text)
        return formatter.date(from: trimmed) ?? ISO8601DateFormatter().date(from: text)
    }

    /// Foundation reads at most three fraction digits.
    static func trimFraction(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" })
        else { return text }
        let digits = text[text.index(after: dot)..<zone].prefix(3)
        return String(text[..<dot]) + "." + digits.padding(toLength: 3, withPad: "0", startingAt: 0) + text[zone...]
    }

    /// Go's `units.HumanDuration`.
    static func humanDuration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 1 { return "Less than a second" }
        if s == 1 { return "1 second" }
        if s < 60 { return "\(s) seconds" }
        let minutes = s / 60
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int((seconds / 3600).rounded())
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        return "\(s / 86_400) days"
    }
}
