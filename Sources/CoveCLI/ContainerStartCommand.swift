import ArgumentParser
import CoveCore

/// `cove container start`: starts created or stopped containers.
struct ContainerStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start one or more stopped containers.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"start\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        try await ContainerCommandSupport.each(containers) { container throws(CoveError) in
            _ = try await client.send(method: "POST", path: ContainerCommandSupport.path(container, "start"))
        }
    }
}
