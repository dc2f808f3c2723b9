import CoveAPI
import CoveCore
import CoveStore
import Foundation

/// The container endpoints: create, start, stop, restart, kill, pause, unpause, rename and delete
/// here; list, inspect and prune in `ContainerRoutes+Query`; wait and logs in
/// `ContainerRoutes+Wait` and `ContainerRoutes+Logs`; attach in `ContainerRoutes+Attach`; exec in
/// `ExecRoutes`; top, archive and export, changes and commit, update in their own files.
/// Errors are Docker's: 404 `No such container: x` or `No such image: x`, 409 for a conflict,
/// 400 for bad input, 304 for a start or stop that changes nothing.
public struct ContainerRoutes: Sendable {
    public let service: ContainerService

    public init(service: ContainerService) {
        self.service = service
    }

    public var routes: [Route] {
        [
            Route(["POST"], "/containers/create") { context in
                await Self.answer { () async throws(CoveError) in try await create(context) }
            },
            Route(["POST"], "/containers/{name}/start") { context in
                await Self.answer { () async throws(CoveError) in
                    try await service.start(context.pathParameter ?? "")
                        ? APIResponse(status: 204) : APIResponse(status: 304)
                }
            },
            Route(["POST"], "/containers/{name}/stop") { context in
                await Self.answer { () async throws(CoveError) in try await stop(context) }
            },
            Route(["POST"], "/containers/{name}/restart") { context in
                await Self.answer { () async throws(CoveError) in
                    _ = try await stop(context)
                    _ = try await service.start(context.pathParameter ?? "")
                    service.emit("restart", try service.repository.resolve(context.pathParameter ?? ""))
                    return APIResponse(status: 204)
                }
            },
            Route(["POST"], "/containers/{name}/kill") { context in
                await Self.answer { () async throws(CoveError) in
                    let signal = QueryParameters(context.request.query)["signal"] ?? ""
                    try service.kill(context.pathParameter ?? "", signal: signal.isEmpty ? "SIGKILL" : signal)
                    return APIResponse(status: 204)
                }
            },
            Route(["POST"], "/containers/{name}/pause") { context in
                await Self.answer { () async throws(CoveError) in
                    try service.pause(context.pathParameter ?? "", true)
                    return APIResponse(status: 204)
                }
            },
            Route(["POST"], "/containers/{name}/unpause") { context in
                await Self.answer { () async throws(CoveError) in
                    try service.pause(context.pathParameter ?? "", false)
                    return APIResponse(status: 204)
                }
            },
            Route(["POST"], "/containers/{name}/rename") { context in
                await Self.answer { () async throws(CoveError) in
                    let name = QueryParameters(context.request.query)["name"] ?? ""
                    let before = try service.repository.resolve(context.pathParameter ?? "")
                    try service.repository.rename(before.id, to: name)
                    if let after = try service.repository.container(id: before.id) {
                        service.emit("rename", after, ["oldName": "/" + before.name])
                    }
                    return APIResponse(status: 204)
                }
            },
            Route(["DELETE"], "/containers/{name}") { context in
                await Self.answer { () async throws(CoveError) in
                    let query = QueryParameters(context.request.query)
                    try service.remove(
                        context.pathParameter ?? "", force: query.bool("force"), removeVolumes: query.bool("v"))
                    return APIResponse(status: 204)
                }
            },
        ] + queryRoutes + waitRoutes + logRoutes + attachRoutes + resizeRoutes + statsRoutes + topRoutes
            + archiveRoutes + commitRoutes + updateRoutes
    }

    /// `POST /containers/create?name=` → 201 `{"Id": …, "Warnings": []}`.
    func create(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let request: ContainerCreateRequest
        do {
            request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(context.request.body))
        } catch {
            throw CoveError(.invalidInput, "invalid JSON in the create request", cause: "\(error)")
        }
        let name = QueryParameters(context.request.query)["name"].flatMap { $0.isEmpty ? nil : $0 }
        let record = try await service.create(
            request, name: name.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 })
        return .json(ContainerCreateResponse(id: record.id), status: 201)
    }

    /// `POST /containers/{id}/stop?signal=&t=` → 204, or 304 when it was not running.
    func stop(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        var timeout: Int?
        if let text = query["t"] ?? query["timeout"], !text.isEmpty {
            guard let value = Int(text) else { throw CoveError(.invalidInput, "invalid value for t: \(text)") }
            timeout = value
        }
        let signal = query["signal"].flatMap { $0.isEmpty ? nil : $0 }
        let stopped = try await service.stop(context.pathParameter ?? "", signal: signal, timeout: timeout)
        return APIResponse(status: stopped ? 204 : 304)
    }

    /// Runs `body`, answering a `CoveError` with Docker's status.
    static func answer(_ body: () async throws(CoveError) -> APIResponse) async -> APIResponse {
        do {
            return try await body()
        } catch {
            return ImageRoutes.errorResponse(error)
        }
    }
}
