import CoveAPI
import CoveCore
import CoveStore
import Foundation

extension ContainerRoutes {
    var waitRoutes: [Route] {
        [
            Route(["POST"], "/containers/{name}/wait") { context in
                await Self.answer { () async throws(CoveError) in try wait(context) }
            }
        ]
    }

    /// `POST /containers/{id}/wait?condition=not-running|next-exit|removed`: the head goes out at
    /// once (a client may start the container once it has it), the `{"StatusCode": n}` body
    /// when the condition is met.
    func wait(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let condition = QueryParameters(context.request.query)["condition"] ?? ""
        guard ["", "not-running", "next-exit", "removed"].contains(condition) else {
            throw CoveError(.invalidInput, "invalid condition: \"\(condition)\"")
        }
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let service = service
        return .stream { writer in
            let code = await Self.waitFor(record, condition: condition, service: service)
            await writer.writeLine(ContainerWaitResponse(statusCode: Int64(code)))
        }
    }

    /// Polls the database until `condition` holds; the exit code then.
    static func waitFor(_ initial: ContainerRecord, condition: String, service: ContainerService) async -> Int32 {
        let id = initial.id
        var schedule = PollSchedule(maximum: .milliseconds(25))
        while true {
            guard let now = try? service.repository.container(id: id) else {
                return service.removedExitCode(id) ?? initial.exitCode
            }
            switch condition {
            case "removed":
                break
            case "next-exit":
                if !now.isRunning, now.finishedAt != initial.finishedAt, !now.finishedAt.isEmpty { return now.exitCode }
            default:
                if !now.isRunning { return now.exitCode }
            }
            await schedule.pause()
        }
    }
}
