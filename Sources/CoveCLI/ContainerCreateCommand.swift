import ArgumentParser
import CoveAPI
import CoveCore

/// `cove container create`: creates a container and prints its id.
struct ContainerCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a new container.")

    @ParentCommand var root: CoveCommand
    @OptionGroup var options: ContainerCreateOptions

    @Flag(help: "Remove the container when it exits.")
    var rm = false

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            Output.write(try await options.create(client, autoRemove: rm) + "\n")
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
