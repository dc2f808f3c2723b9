import ArgumentParser
import CoveCore

/// `cove container pause`: Pause all processes within one or more containers (the cgroup freezer).
struct ContainerPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause all processes within one or more containers.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"pause\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        try await ContainerCommandSupport.each(containers) { container throws(CoveError) in
            _ = try await client.send(method: "POST", path: ContainerCommandSupport.path(container, "pause"))
        }
    }
}
