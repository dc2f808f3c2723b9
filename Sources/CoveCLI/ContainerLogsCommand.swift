import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove container logs`: the container's output from its json-file log (stdout to stdout,
/// stderr to stderr); `-f` follows it until the container stops; `--since`/`--until` bound it.
struct ContainerLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Fetch the logs of a container.")

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Follow log output.")
    var follow = false

    @Flag(name: .shortAndLong, help: "Show timestamps.")
    var timestamps = false

    @Option(name: [.customShort("n"), .long], help: "Number of lines to show from the end (default all).")
    var tail: String = "all"

    @Option(
        help: ArgumentHelp(
            "Show logs since a time (Unix seconds, RFC 3339, or a duration ago: 10m).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Show logs before a time (as --since).", valueName: "time"))
    var until: String?

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let inspect = try await client.send(method: "GET", path: ContainerCommandSupport.path(container, "json"))
            let tty = try ContainerCommandSupport.decode(ContainerInspect.self, inspect.body, what: "inspect").config
                .tty
            var output = ContainerCommandSupport.Demultiplexer(raw: tty ?? false)
            var query: [(name: String, value: String)] = [("stdout", "1"), ("stderr", "1"), ("tail", tail)]
            if follow { query.append(("follow", "1")) }
            if timestamps { query.append(("timestamps", "1")) }
            let now = Date()
            if let since { query.append(("since", try TimeArgument.timestamp(since, now: now))) }
            if let until { query.append(("until", try TimeArgument.timestamp(until, now: now))) }
            try await client.streamBytes(
                method: "GET", path: ContainerCommandSupport.path(container, "logs"), query: query
            ) {
                bytes in output.feed(bytes)
            }
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
