import ArgumentParser
import CoveCore
import Foundation

/// `cove container inspect`: the engine's JSON for each container, as a JSON array.
struct ContainerInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Display detailed information on one or more containers.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The containers (name, id or id prefix).")
    var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"inspect\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var objects: [Any] = []
        try await ContainerCommandSupport.each(containers, printName: false) { container throws(CoveError) in
            let response = try await client.send(method: "GET", path: ContainerCommandSupport.path(container, "json"))
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) else {
                throw CoveError(.internalError, "the engine's answer to inspect \(container) is not JSON")
            }
            objects.append(object)
        }
        let data = try JSONSerialization.data(
            withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
