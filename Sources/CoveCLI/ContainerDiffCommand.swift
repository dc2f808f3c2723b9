import ArgumentParser
import CoveAPI
import CoveCore

/// `cove container diff CONTAINER`: the files the container added (`A`), changed (`C`) and
/// deleted (`D`) over its image.
struct ContainerDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Inspect changes to files or directories on a container's filesystem.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let response = try await client.send(
                method: "GET", path: ContainerCommandSupport.path(container, "changes"))
            let changes = try ContainerCommandSupport.decode([ContainerChange].self, response.body, what: "diff")
            Output.write(changes.map { "\($0.kind.letter) \($0.path)\n" }.joined())
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
