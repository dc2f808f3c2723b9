import ArgumentParser
import CoveCore

/// `cove container rm`: removes containers; a running one only with `-f` (killed first).
struct ContainerRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more containers.", aliases: ["remove"])

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Force the removal of a running container (SIGKILL).")
    var force = false

    @Flag(name: .shortAndLong, help: "Remove the anonymous volumes of the containers.")
    var volumes = false

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"rm\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var query: [(name: String, value: String)] = []
        if force { query.append(("force", "1")) }
        if volumes { query.append(("v", "1")) }
        try await ContainerCommandSupport.each(containers) { container throws(CoveError) in
            _ = try await client.send(
                method: "DELETE", path: ContainerCommandSupport.path(container), query: query)
        }
    }
}
