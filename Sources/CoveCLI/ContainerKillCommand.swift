import ArgumentParser
import CoveCore

/// `cove container kill`: sends a signal (SIGKILL unless `-s`) to running containers.
struct ContainerKillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill", abstract: "Kill one or more running containers.")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Signal to send: a name (TERM, SIGHUP) or a number.")
    var signal = "KILL"

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"kill\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        try await ContainerCommandSupport.each(containers) { container throws(CoveError) in
            _ = try await client.send(
                method: "POST", path: ContainerCommandSupport.path(container, "kill"), query: [("signal", signal)])
        }
    }
}
