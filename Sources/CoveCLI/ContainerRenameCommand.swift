import ArgumentParser
import CoveCore

/// `cove container rename`.
struct ContainerRenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a container.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    @Argument(help: "Its new name.")
    var newName: String

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            _ = try await client.send(
                method: "POST", path: ContainerCommandSupport.path(container, "rename"), query: [("name", newName)])
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
