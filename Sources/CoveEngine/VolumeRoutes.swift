import CoveAPI
import CoveCore
import Foundation

/// The volume endpoints: list, create, inspect, remove and prune, with Docker's shapes and
/// errors (404 `get x: no such volume`, 409 `remove x: volume is in use - [ids]`, 400 for a bad
/// name or filter).
public struct VolumeRoutes: Sendable {
    public let service: VolumeService

    public init(service: VolumeService) {
        self.service = service
    }

    public var routes: [Route] {
        [
            Route(["GET"], "/volumes") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    let filters = try QueryParameters(context.request.query).filters()
                    let volumes = try service.list(filters: filters).map(VolumeService.json)
                    return .json(VolumeListResponse(volumes: volumes))
                }
            },
            Route(["POST"], "/volumes/create") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    let request: VolumeCreateRequest
                    do {
                        let body = context.request.body
                        request =
                            body.isEmpty
                            ? VolumeCreateRequest()
                            : try JSONDecoder().decode(VolumeCreateRequest.self, from: Data(body))
                    } catch {
                        throw CoveError(.invalidInput, "invalid JSON in the volume create request", cause: "\(error)")
                    }
                    return .json(VolumeService.json(try service.create(request)), status: 201)
                }
            },
            Route(["POST"], "/volumes/prune") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    let filters = try QueryParameters(context.request.query).filters()
                    return .json(try service.prune(filters: filters))
                }
            },
            Route(["GET"], "/volumes/{name}") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    .json(VolumeService.json(try service.repository.resolve(context.pathParameter ?? "")))
                }
            },
            Route(["DELETE"], "/volumes/{name}") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    let force = QueryParameters(context.request.query).bool("force")
                    try service.remove(context.pathParameter ?? "", force: force)
                    return APIResponse(status: 204)
                }
            },
        ]
    }
}
