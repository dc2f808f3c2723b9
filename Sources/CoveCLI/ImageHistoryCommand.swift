import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image history`: the steps an image was made of, newest first, as `docker image history`
/// shows them (IMAGE CREATED CREATED BY SIZE COMMENT).
struct ImageHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the history of an image."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @ParentCommand var root: CoveCommand

    @Option(help: "Output format: a table, or one JSON object per line (as docker's --format json).")
    var format: Format = .table

    @Flag(help: "Don't truncate output.")
    var noTrunc = false

    @Argument(help: ArgumentHelp("The image (name, name:tag, id or id prefix).", valueName: "image"))
    var image: String

    typealias Entry = ImageHistoryItem

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        let entries: [Entry]
        do throws(CoveError) {
            let response = try await client.send(
                method: "GET", path: "/images/\(ImageCommandSupport.pathName(image))/history")
            entries = try Self.decode(response.body)
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        let now = Date()
        switch format {
        case .table: Output.write(table(entries, now: now).text)
        case .json: Output.write(try entries.map { try json($0, now: now) + "\n" }.joined())
        }
    }

    /// The engine's answer as entries.
    static func decode(_ body: [UInt8]) throws(CoveError) -> [Entry] {
        do {
            return try JSONDecoder().decode([Entry].self, from: Data(body))
        } catch {
            throw CoveError(.internalError, "the engine's answer to an image history is not valid", cause: "\(error)")
        }
    }

    /// The table docker prints: IMAGE CREATED CREATED BY SIZE COMMENT.
    func table(_ entries: [Entry], now: Date) -> TextTable {
        var table = TextTable(header: ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"])
        for entry in entries {
            table.rows.append([
                id(entry), since(entry, now: now), createdBy(entry), HumanUnits.size(entry.size), entry.comment,
            ])
        }
        return table
    }

    /// An entry as `docker history --format json` writes it: one object, keys sorted as Go sorts a map.
    func json(_ entry: Entry, now: Date) throws(CoveError) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone.current
        let object: [String: String] = [
            "Comment": entry.comment,
            "CreatedAt": formatter.string(from: Date(timeIntervalSince1970: Double(entry.created))),
            "CreatedBy": createdBy(entry), "CreatedSince": since(entry, now: now), "ID": id(entry),
            "Size": HumanUnits.size(entry.size),
        ]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(object), as: UTF8.self)
        } catch {
            throw CoveError(.internalError, "cannot encode a history entry", cause: "\(error)")
        }
    }

    /// The id cut to 12 hex digits (in full with `--no-trunc`); `<missing>` stays as it is.
    func id(_ entry: Entry) -> String {
        guard !noTrunc, entry.id.hasPrefix("sha256:") else { return entry.id }
        return String(entry.id.dropFirst(7).prefix(12))
    }

    /// "3 days ago".
    func since(_ entry: Entry, now: Date) -> String {
        HumanUnits.duration(seconds: now.timeIntervalSince1970 - Double(entry.created)) + " ago"
    }

    /// The step's command with tabs as spaces, cut to 45 characters ending in "…" unless `--no-trunc`.
    func createdBy(_ entry: Entry) -> String {
        let text = entry.createdBy.replacingOccurrences(of: "\t", with: " ")
        guard !noTrunc, text.count > 45 else { return text }
        return text.prefix(44) + "…"
    }
}
