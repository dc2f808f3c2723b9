import CoveAPI
import CoveCore
import CoveLinux
import CoveStore
import Foundation

extension ContainerRoutes {
    var topRoutes: [Route] {
        [
            Route(["GET"], "/containers/{name}/top") { context in
                await Self.answer { () async throws(CoveError) in try await top(context) }
            }
        ]
    }

    /// `GET /containers/{id}/top?ps_args=`: as Docker, the host's `ps` with `ps_args` (default
    /// `-ef`), its rows kept for the processes in the container's cgroup. 409 when it is not running.
    func top(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let record = try service.repository.resolve(context.pathParameter ?? "")
        guard record.isRunning, let handle = try service.adopt(record.id), let cgroup = handle.cgroup else {
            throw CoveError(.conflict, "Container \(record.id) is not running")
        }
        let pids = cgroup.processes()
        let text = QueryParameters(context.request.query)["ps_args"] ?? ""
        let arguments = (text.isEmpty ? "-ef" : text).split(separator: " ").map(String.init)
        let output = try await ContainerService.blocking { () throws(CoveError) in
            // `-q` lists just these processes; some options (such as `f`) refuse it, so retry without.
            if let listed = try? ProcessTable.run(arguments + ["-q", pids.map(String.init).joined(separator: ",")]) {
                return listed
            }
            return try ProcessTable.run(arguments)
        }
        return .json(try ProcessTable.parse(output, pids: Set(pids)))
    }
}

/// The host's `ps`, run and read as Docker's `top` does.
enum ProcessTable {
    /// Runs `ps` with `arguments`; its standard output, or Docker's error with its standard error.
    static func run(_ arguments: [String]) throws(CoveError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/ps")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CoveError(.internalError, "cannot run ps", cause: "\(error)")
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw CoveError(.internalError, "ps: \(message)")
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// Docker's `parsePSOutput`: the header names the columns, `PID` must be one of them; the
    /// last column takes the rest of its line (the command and its arguments).
    static func parse(_ output: String, pids: Set<Int32>) throws(CoveError) -> ContainerTopResponse {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first else { throw CoveError(.internalError, "ps printed nothing") }
        let titles = header.split(separator: " ").map(String.init)
        guard let pidIndex = titles.firstIndex(of: "PID") else {
            throw CoveError(.internalError, "Couldn't find PID field in ps output")
        }
        var processes: [[String]] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > pidIndex, let pid = Int32(fields[pidIndex]) else {
                throw CoveError(.internalError, "Unexpected pid '\(fields.count > pidIndex ? fields[pidIndex] : "")'")
            }
            guard pids.contains(pid) else { continue }
            let cut = min(titles.count - 1, fields.count)
            processes.append(Array(fields[..<cut]) + [fields[cut...].joined(separator: " ")])
        }
        return ContainerTopResponse(titles: titles, processes: processes)
    }
}
