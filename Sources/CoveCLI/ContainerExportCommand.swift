import ArgumentParser
import CoveAPI
import CoveCore

/// `cove container export [-o FILE] CONTAINER`: the container's root filesystem as a tar,
/// streamed from the engine (`GET /containers/{id}/export`).
struct ContainerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a container's filesystem as a tar archive (to standard output by default).")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Write to a file instead of standard output.")
    var output: String?

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    func run() async throws {
        try TarDownload.checkDestination(output)
        let client = try await ImageCommandSupport.connect(root)
        try await TarDownload.save(client, path: ContainerCommandSupport.path(container, "export"), to: output)
    }
}
