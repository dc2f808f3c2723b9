import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image ls`: the images, one row per repository:tag, as `docker image ls` lists them.
struct ImageListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List images.",
        aliases: ["list"]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Only show image IDs.")
    var quiet = false

    @Flag(help: "Show digests.")
    var digests = false

    @Option(help: "Output format: a table, or one JSON object per line (as docker's --format json).")
    var format: Format = .table

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Filter output (reference=PATTERN, dangling=true|false).", valueName: "filter"))
    var filter: [String] = []

    func validate() throws {
        for item in filter {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("bad format of filter (expected name=value): \(item)")
            }
        }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        let images: [ImageSummary]
        do throws(CoveError) {
            let response = try await client.send(
                method: "GET", path: "/images/json",
                query: filter.isEmpty ? [] : [("filters", try FilterArguments.json(filter))])
            images = try ImageSummary.decodeList(response.body)
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        let rows = ImageRow.rows(for: images, now: Date())
        if quiet {
            Output.write(rows.map { $0.shortID + "\n" }.joined())
            return
        }
        switch format {
        case .table: Output.write(table(rows).text)
        case .json: Output.write(try rows.map { try $0.json() + "\n" }.joined())
        }
    }

    /// The table docker prints: REPOSITORY TAG [DIGEST] IMAGE ID CREATED SIZE.
    func table(_ rows: [ImageRow]) -> TextTable {
        var table = TextTable(
            header: digests
                ? ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"]
                : ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"])
        for row in rows {
            table.rows.append(
                digests
                    ? [row.repository, row.tag, row.digest, row.shortID, row.createdSince, row.size]
                    : [row.repository, row.tag, row.shortID, row.createdSince, row.size])
        }
        return table
    }
}
