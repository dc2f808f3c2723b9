import ArgumentParser
import CoveAPI
import CoveCore

/// `cove version`: the client's version and the engine's, as `docker version` shows them.
/// The engine is the one `--host`, `COVE_HOST` or `DOCKER_HOST` names; Cove's own daemon is
/// started when it is not running.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the Cove client and engine versions.",
        discussion: """
            The engine is --host, else $COVE_HOST, else $DOCKER_HOST, else unix:///run/cove/cove.sock. \
            When it is Cove's own socket and no daemon serves it, `cove daemon` is started in the \
            background (state root $COVE_ROOT or /var/lib/cove, log <root>/daemon.log).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case pretty, json
    }

    @ParentCommand var root: CoveCommand

    @Option(help: "Output format.")
    var format: Format = .pretty

    func run() async throws {
        let client = try await EngineConnector.connect(root.engine)
        let report = VersionReport(client: VersionReport.client(host: client.host), server: try await client.version())
        switch format {
        case .pretty: Output.write(report.text)
        case .json: Output.write(try report.json())
        }
    }
}
