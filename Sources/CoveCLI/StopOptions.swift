import ArgumentParser
import CoveCore

/// What `cove container stop` and `restart` share: the signal, the grace period before SIGKILL,
/// and the containers.
struct StopOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Signal to send (default: the container's stop signal, else SIGTERM).")
    var signal: String?

    @Option(name: .shortAndLong, help: "Seconds to wait before killing the container (default 10).")
    var time: Int?

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    /// Docker's usage error when no container is named.
    func requireContainers(for command: String) throws {
        if containers.isEmpty { throw ValidationError("\"\(command)\" requires at least 1 argument.") }
    }

    /// Posts `/containers/{id}/<action>` with the signal and time for each container.
    func post(_ action: String, root: CoveCommand) async throws {
        let client = try await ImageCommandSupport.connect(root)
        var query: [(name: String, value: String)] = []
        if let signal { query.append(("signal", signal)) }
        if let time { query.append(("t", String(time))) }
        try await ContainerCommandSupport.each(containers) { container throws(CoveError) in
            _ = try await client.send(
                method: "POST", path: ContainerCommandSupport.path(container, action), query: query)
        }
    }
}
