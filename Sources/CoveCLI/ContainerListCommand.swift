import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove container ls`: running containers (all with `-a`), as `docker ps` lists them.
struct ContainerListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List containers.", aliases: ["list", "ps"])

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Show all containers (by default only running ones).")
    var all = false

    @Flag(name: .shortAndLong, help: "Only show container IDs.")
    var quiet = false

    @Option(help: "Output format: a table, or one JSON object per line (as docker's --format json).")
    var format: Format = .table

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Filter output (id=, name=, label=key[=value], status=).", valueName: "filter"))
    var filter: [String] = []

    func validate() throws {
        for item in filter where !item.contains("=") {
            throw ValidationError("bad format of filter (expected name=value): \(item)")
        }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        let containers: [ContainerSummary]
        do throws(CoveError) {
            var query: [(name: String, value: String)] = all ? [("all", "1")] : []
            if !filter.isEmpty { query.append(("filters", try FilterArguments.json(filter))) }
            let response = try await client.send(method: "GET", path: "/containers/json", query: query)
            containers = try ContainerCommandSupport.decode([ContainerSummary].self, response.body, what: "list")
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        if quiet {
            Output.write(containers.map { String($0.id.prefix(12)) + "\n" }.joined())
            return
        }
        let now = Date()
        switch format {
        case .table:
            var table = TextTable(header: ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"])
            for container in containers {
                let command = container.command.count > 20 ? container.command.prefix(19) + "…" : container.command
                table.rows.append([
                    String(container.id.prefix(12)), container.image, "\"\(command)\"",
                    Self.ago(container.created, now: now), container.status,
                    container.names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }.joined(separator: ","),
                ])
            }
            Output.write(table.text)
        case .json:
            for container in containers {
                let row: [String: String] = [
                    "ID": String(container.id.prefix(12)), "Image": container.image,
                    "Command": "\"\(container.command)\"", "CreatedAt": Self.ago(container.created, now: now),
                    "State": container.state, "Status": container.status,
                    "Names": container.names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
                        .joined(separator: ","),
                    "Labels": container.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                        .joined(separator: ","),
                ]
                let data = try JSONSerialization.data(
                    withJSONObject: row, options: [.sortedKeys, .withoutEscapingSlashes])
                Output.write(String(decoding: data, as: UTF8.self) + "\n")
            }
        }
    }

    static func ago(_ created: Int64, now: Date) -> String {
        HumanUnits.duration(seconds: now.timeIntervalSince1970 - Double(created)) + " ago"
    }
}
