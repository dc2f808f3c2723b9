import ArgumentParser
import CoveCore

/// `cove volume rm`: removes volumes; one that containers mount only with `-f`.
struct VolumeRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more volumes.", aliases: ["remove"])

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Force the removal of a volume that containers mount.")
    var force = false

    @Argument(help: "The volumes' names.")
    var volumes: [String]

    func validate() throws {
        if volumes.isEmpty { throw ValidationError("\"rm\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        let query: [(name: String, value: String)] = force ? [("force", "1")] : []
        try await ContainerCommandSupport.each(volumes) { volume throws(CoveError) in
            _ = try await client.send(method: "DELETE", path: VolumeCommandSupport.path(volume), query: query)
        }
    }
}
