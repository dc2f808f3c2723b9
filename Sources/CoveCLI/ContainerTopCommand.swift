import ArgumentParser
import CoveAPI
import CoveCore

/// `cove container top CONTAINER [ps OPTIONS]`: the container's processes, as the host's `ps`
/// shows them (`-ef` unless options are given).
struct ContainerTopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Display the running processes of a container.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Options for ps.", valueName: "ps options"))
    var psOptions: [String] = []

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let query = psOptions.isEmpty ? [] : [(name: "ps_args", value: psOptions.joined(separator: " "))]
            let response = try await client.send(
                method: "GET", path: ContainerCommandSupport.path(container, "top"), query: query)
            let top = try ContainerCommandSupport.decode(ContainerTopResponse.self, response.body, what: "top")
            var table = TextTable(header: top.titles)
            table.rows = top.processes
            Output.write(table.text)
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
