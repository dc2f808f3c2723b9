import CoveAPI
import CoveCore
import CoveImage
import CoveTerminal
import Foundation

/// What pull, push and login share: saved credentials as an `X-Registry-Auth` header, and the
/// progress stream shown as bars on a terminal or plain lines otherwise.
enum RegistryCommandSupport {
    /// The `X-Registry-Auth` header for the registry of `reference` (`{}` without saved credentials,
    /// as the docker CLI sends).
    static func authHeader(for reference: ImageReference) throws(CoveError) -> (String, String) {
        let config = try CredentialStore.chosen().credentials(for: reference.domain) ?? RegistryAuthConfig()
        return ("X-Registry-Auth", try config.headerValue())
    }

    /// Sends a pull or push request and shows its progress stream; fails with the stream's error.
    static func run(
        _ client: EngineClient, method: String, path: String, query: [(name: String, value: String)],
        headers: [(String, String)], quiet: Bool
    ) async throws(CoveError) {
        var renderer: any ProgressRenderer
        if quiet {
            renderer = PlainProgressRenderer { _ in }
        } else if isatty(STDOUT_FILENO) == 1 {
            renderer = TerminalProgressRenderer { Output.write($0) }
        } else {
            renderer = PlainProgressRenderer { Output.write($0) }
        }
        do throws(CoveError) {
            try await client.stream(method: method, path: path, query: query, headers: headers) { message in
                renderer.render(message)
            }
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        if let failure = renderer.failure { throw CoveError(.invalidInput, failure) }
    }
}
