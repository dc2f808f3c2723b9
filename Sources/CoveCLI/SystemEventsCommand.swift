import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove system events`: the engine's events as they happen (and the recent ones with
/// `--since`), until `--until` or an interrupt, printed as `docker events` prints them.
struct SystemEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Get real time events from the engine.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @ParentCommand var root: CoveCommand

    @Option(
        help: ArgumentHelp(
            "Show events since a time (Unix seconds, RFC 3339, or a duration ago: 10m).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Stream events until a time (as --since).", valueName: "time"))
    var until: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Filter (type=, event=, container=, image=, label=key[=value], volume=).", valueName: "filter"))
    var filter: [String] = []

    @Option(help: "Output format: docker's text lines, or one JSON object per line.")
    var format: Format = .text

    func validate() throws {
        for item in filter where !item.contains("=") {
            throw ValidationError("bad format of filter (expected name=value): \(item)")
        }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            var query: [(name: String, value: String)] = []
            let now = Date()
            if let since { query.append(("since", try TimeArgument.timestamp(since, now: now))) }
            if let until { query.append(("until", try TimeArgument.timestamp(until, now: now))) }
            if !filter.isEmpty { query.append(("filters", try FilterArguments.json(filter))) }
            var pending: [UInt8] = []
            let format = format
            try await client.streamBytes(method: "GET", path: "/events", query: query) { bytes in
                pending += bytes
                while let newline = pending.firstIndex(of: 0x0A) {
                    Self.print(Array(pending[..<newline]), format: format)
                    pending.removeSubrange(...newline)
                }
            }
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }

    static func print(_ line: [UInt8], format: Format) {
        guard format == .text else {
            Output.write(String(decoding: line, as: UTF8.self) + "\n")
            return
        }
        guard let event = try? JSONDecoder().decode(EventMessage.self, from: Data(line)) else { return }
        Output.write(text(event) + "\n")
    }

    /// Docker's line: `time type action id (key=value, …)`, attributes sorted by key, the time in UTC.
    static func text(_ event: EventMessage) -> String {
        // Docker's fixed nine fraction digits.
        let seconds = Timestamp.rfc3339Nano(seconds: event.timeNano / 1_000_000_000, nanoseconds: 0).dropLast()
        let fraction = String(event.timeNano % 1_000_000_000 + 1_000_000_000).dropFirst()
        let time = "\(seconds).\(fraction)Z"
        let attributes = event.actor.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let suffix = attributes.isEmpty ? "" : " (" + attributes.joined(separator: ", ") + ")"
        return "\(time) \(event.type) \(event.action) \(event.actor.id)\(suffix)"
    }
}
