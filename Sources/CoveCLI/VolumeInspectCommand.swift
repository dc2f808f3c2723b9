import ArgumentParser
import CoveCore
import Foundation

/// `cove volume inspect`: the engine's JSON for each volume, as a JSON array.
struct VolumeInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Display detailed information on one or more volumes.")

    @ParentCommand var root: CoveCommand

    @Argument(help: "The volumes' names.")
    var volumes: [String]

    func validate() throws {
        if volumes.isEmpty { throw ValidationError("\"inspect\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var objects: [Any] = []
        try await ContainerCommandSupport.each(volumes, printName: false) { volume throws(CoveError) in
            let response = try await client.send(method: "GET", path: VolumeCommandSupport.path(volume))
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) else {
                throw CoveError(.internalError, "the engine's answer to inspect \(volume) is not JSON")
            }
            objects.append(object)
        }
        let data = try JSONSerialization.data(
            withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
