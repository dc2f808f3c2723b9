import ArgumentParser
import CoveCore

/// `cove container stop`: Stop one or more running containers (the stop signal, then SIGKILL after the timeout).
struct ContainerStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop one or more running containers (the stop signal, then SIGKILL after the timeout).")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Signal to send (default: the container's stop signal, else SIGTERM).")
    var signal: String?

    @Option(name: .shortAndLong, help: "Seconds to wait before killing the container (default 10).")
    var time: Int?

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"stop\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var query: [(name: String, value: String)] = []
        if let signal { query.append(("signal", signal)) }
        if let time { query.append(("t", String(time))) }
        try await ContainerCommandSupport.each(containers) { container throws(CoveError) in
            _ = try await client.send(
                method: "POST", path: ContainerCommandSupport.path(container, "stop"), query: query)
        }
    }
}
