import ArgumentParser
import CoveAPI
import CoveCore

/// `cove volume prune`: removes the anonymous volumes no container mounts (all unused ones with
/// `-a`).
struct VolumePruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove unused local volumes.")

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Remove all unused volumes, not just anonymous ones.")
    var all = false

    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation (cove never prompts).")
    var force = false

    @Option(help: ArgumentHelp("Filter (label=key[=value], label!=key[=value]).", valueName: "filter"))
    var filter: [String] = []

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let filters = filter + (all ? ["all=true"] : [])
            let query: [(name: String, value: String)] =
                filters.isEmpty ? [] : [("filters", try FilterArguments.json(filters))]
            let response = try await client.send(method: "POST", path: "/volumes/prune", query: query)
            let report = try ContainerCommandSupport.decode(VolumePruneResponse.self, response.body, what: "prune")
            if !report.volumesDeleted.isEmpty {
                Output.write("Deleted Volumes:\n" + report.volumesDeleted.map { $0 + "\n" }.joined() + "\n")
            }
            Output.write("Total reclaimed space: \(HumanUnits.size(report.spaceReclaimed))\n")
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
