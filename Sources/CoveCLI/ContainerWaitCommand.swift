import ArgumentParser
import CoveAPI
import CoveCore

/// `cove container wait`: waits until containers stop and prints their exit codes.
struct ContainerWaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Block until one or more containers stop, then print their exit codes.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"wait\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        try await ContainerCommandSupport.each(containers, printName: false) { container throws(CoveError) in
            let response = try await client.send(method: "POST", path: ContainerCommandSupport.path(container, "wait"))
            let body = try ContainerCommandSupport.decode(ContainerWaitResponse.self, response.body, what: "wait")
            Output.write("\(body.statusCode)\n")
        }
    }
}
