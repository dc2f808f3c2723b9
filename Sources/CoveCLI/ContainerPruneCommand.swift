import ArgumentParser
import CoveCore
import Foundation

/// `cove container prune`: removes every stopped container.
struct ContainerPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove all stopped containers.")

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation (cove never prompts).")
    var force = false

    struct Report: Decodable {
        var containersDeleted: [String]?
        enum CodingKeys: String, CodingKey { case containersDeleted = "ContainersDeleted" }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let response = try await client.send(method: "POST", path: "/containers/prune")
            let report = try ContainerCommandSupport.decode(Report.self, response.body, what: "prune")
            let deleted = report.containersDeleted ?? []
            if !deleted.isEmpty { Output.write("Deleted Containers:\n" + deleted.map { $0 + "\n" }.joined() + "\n") }
            Output.write("Total reclaimed space: 0B\n")
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
