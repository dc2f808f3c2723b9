import CoveAPI
import CoveCore
import Foundation

/// The exec endpoints: `POST /containers/{id}/exec`, `POST /exec/{id}/start` (detached, or
/// hijacked as an attach is), `GET /exec/{id}/json` and `POST /exec/{id}/resize`, with Docker's
/// shapes and errors (404 `No such exec instance`, 409 for a stopped or paused container).
public struct ExecRoutes: Sendable {
    public let service: ExecService

    public init(service: ExecService) {
        self.service = service
    }

    public var routes: [Route] {
        [
            Route(["POST"], "/containers/{name}/exec") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in try await create(context) }
            },
            Route(["POST"], "/exec/{name}/start") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in try await start(context) }
            },
            Route(["GET"], "/exec/{name}/json") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    .json(try service.inspect(context.pathParameter ?? ""))
                }
            },
            Route(["POST"], "/exec/{name}/resize") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in
                    let query = QueryParameters(context.request.query)
                    guard let rows = Int(query["h"] ?? ""), let columns = Int(query["w"] ?? "") else {
                        throw CoveError(.invalidInput, "invalid resize: h and w must be numbers")
                    }
                    try service.resize(context.pathParameter ?? "", rows: rows, columns: columns)
                    return APIResponse(status: 200)
                }
            },
        ]
    }

    /// `POST /containers/{id}/exec` → 201 `{"Id": …}`.
    func create(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let request: ExecCreateRequest
        do {
            request = try JSONDecoder().decode(ExecCreateRequest.self, from: Data(context.request.body))
        } catch {
            throw CoveError(.invalidInput, "invalid JSON in the exec request", cause: "\(error)")
        }
        let id = try await service.create(context.pathParameter ?? "", request: request)
        return .json(ExecCreateResponse(id: id), status: 201)
    }

    /// `POST /exec/{id}/start`: detached, the process is started and 200 answered; otherwise the
    /// connection is joined to the exec's attach socket first and the process started then.
    func start(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        var options = ExecStartRequest(detach: false, tty: false)
        if !context.request.body.isEmpty {
            do {
                options = try JSONDecoder().decode(ExecStartRequest.self, from: Data(context.request.body))
            } catch {
                throw CoveError(.invalidInput, "invalid JSON in the exec start request", cause: "\(error)")
            }
        }
        let record = try service.claim(context.pathParameter ?? "")
        let service = service
        let size = options.consoleSize
        if options.detach == true {
            do {
                try await ContainerService.blocking { () throws(CoveError) in
                    try service.start(record, consoleSize: size)
                }
            } catch  where error.code == .notFound || error.code == .invalidInput {
                // As Docker: a program that cannot be run is a bad request (400), in its words.
                let text = Self.failureText(error, program: record.request.cmd?.first ?? "")
                throw CoveError(.invalidInput, text, cause: error.cause)
            }
            return APIResponse(status: 200)
        }
        let runtime = service.containers.runtime
        let tty = record.request.tty ?? false
        var response = APIResponse(status: 101)
        response.hijack = ConnectionHijack(
            socketPath: record.handle.attachSocketPath,
            contentType: tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream",
            inputClosed: { try? runtime.closeStdin(record.handle) },
            joined: {
                do throws(CoveError) {
                    try await ContainerService.blocking { () throws(CoveError) in
                        try service.start(record, consoleSize: size)
                    }
                    return []
                } catch {
                    return Self.failureOutput(error, program: record.request.cmd?.first ?? "", tty: tty)
                }
            })
        return response
    }

    /// Docker's words for an exec that cannot start (the CLI's exit code comes from the exec's
    /// record), as a stdout frame unless raw.
    static func failureOutput(_ error: CoveError, program: String, tty: Bool) -> [UInt8] {
        let text = Array((failureText(error, program: program) + "\r\n").utf8)
        if tty { return text }
        let size = UInt32(text.count)
        return [
            1, 0, 0, 0, UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF), UInt8(size & 0xFF),
        ]
            + text
    }

    /// Docker's message for an exec whose program cannot be run.
    static func failureText(_ error: CoveError, program: String) -> String {
        let reason: String
        switch error.code {
        case .notFound: reason = "exec: \"\(program)\": executable file not found in $PATH"
        case .invalidInput: reason = "exec: \"\(program)\": permission denied"
        default: reason = error.description
        }
        return "OCI runtime exec failed: exec failed: unable to start container process: \(reason): unknown"
    }
}
