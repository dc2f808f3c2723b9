import CoveAPI
import CoveCore
import CoveStore

extension ContainerRoutes {
    var attachRoutes: [Route] {
        [
            Route(["POST"], "/containers/{name}/attach") { context in
                await Self.answer { () async throws(CoveError) in try attach(context) }
            }
        ]
    }

    /// `POST /containers/{id}/attach?stream=1&stdin=&stdout=&stderr=`, hijacked: the container's
    /// output from now on (Docker's multiplexed frames, raw with a tty) and the client's input
    /// to its stdin; the client's half-close closes the container's stdin. The shim serves both
    /// streams, so `stdout`/`stderr` cannot pick one.
    func attach(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let config = try ContainerService.decode(record.config)
        guard record.status == "created" || record.isRunning, let handle = try service.adopt(record.id) else {
            throw CoveError(.conflict, "You cannot attach to a stopped container, start it first")
        }
        let runtime = service.runtime
        let tty = config.tty ?? false
        var response = APIResponse(status: 101)
        response.hijack = ConnectionHijack(
            socketPath: handle.attachSocketPath,
            contentType: tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream",
            inputClosed: { try? runtime.closeStdin(handle) })
        return response
    }
}

extension ContainerRoutes {
    var resizeRoutes: [Route] {
        [
            Route(["POST"], "/containers/{name}/resize") { context in
                await Self.answer { () async throws(CoveError) in
                    let query = QueryParameters(context.request.query)
                    guard let rows = Int(query["h"] ?? ""), let columns = Int(query["w"] ?? "") else {
                        throw CoveError(.invalidInput, "invalid resize: h and w must be numbers")
                    }
                    try service.resize(context.pathParameter ?? "", rows: rows, columns: columns)
                    return APIResponse(status: 200)
                }
            }
        ]
    }
}
