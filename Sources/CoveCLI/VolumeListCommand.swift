import ArgumentParser
import CoveAPI
import CoveCore

/// `cove volume ls`: the volumes, as a `DRIVER  VOLUME NAME` table or their names alone (`-q`).
struct VolumeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List volumes.", aliases: ["list"])

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Only display volume names.")
    var quiet = false

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Filter output (dangling=true|false, name=, label=key[=value], driver=).", valueName: "filter"))
    var filter: [String] = []

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        let volumes: [VolumeJSON]
        do throws(CoveError) {
            let query: [(name: String, value: String)] =
                filter.isEmpty ? [] : [("filters", try FilterArguments.json(filter))]
            let response = try await client.send(method: "GET", path: "/volumes", query: query)
            volumes = try ContainerCommandSupport.decode(VolumeListResponse.self, response.body, what: "volume ls")
                .volumes
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        if quiet {
            Output.write(volumes.map { $0.name + "\n" }.joined())
            return
        }
        var table = TextTable(header: ["DRIVER", "VOLUME NAME"])
        for volume in volumes { table.rows.append([volume.driver, volume.name]) }
        Output.write(table.text)
    }
}
