import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// Connecting the CLI to its engine: the host chosen by `--host`, `COVE_HOST` or `DOCKER_HOST`, and
/// the Cove daemon started on first use when the host is Cove's own socket and nothing listens there.
enum EngineConnector {
    /// A client for the chosen engine, after starting `cove daemon` when the host is a Cove socket
    /// (the default one, or one `COVE_HOST` names) that is absent or stale.
    ///
    /// - Throws: `CoveError` for a host that does not parse, a socket path that cannot be inspected,
    ///   or a daemon that cannot be started or does not answer.
    static func connect(
        _ options: EngineOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(CoveError) -> EngineClient {
        let selection = try EngineHostSelection.resolve(flag: options.host, environment: environment)
        let client = EngineClient(host: selection.host, userAgent: "Cove-Client/\(CoveCommand.version)")
        guard selection.mayStartDaemon else { return client }
        switch try SocketFile.state(of: selection.host.socketPath) {
        case .listening, .notASocket:
            return client
        case .absent, .stale:
            try await DaemonAutoStart(client: client, environment: environment).start()
            return client
        }
    }
}
