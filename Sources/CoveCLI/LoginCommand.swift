import ArgumentParser
import CoveAPI
import CoveCore
import CoveImage
import Foundation

/// `cove login [SERVER]`: checks credentials through the engine (`POST /auth`) and saves them for
/// pull and push (see `CredentialStore`).
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a registry.",
        discussion: "SERVER is a registry's host[:port]; Docker Hub when omitted."
    )

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Username.")
    var username: String?

    @Option(name: .shortAndLong, help: "Password or personal access token (prefer --password-stdin).")
    var password: String?

    @Flag(help: "Take the password from stdin.")
    var passwordStdin = false

    @Argument(help: ArgumentHelp("The registry.", valueName: "server"))
    var server: String?

    func validate() throws {
        if passwordStdin, password != nil {
            throw ValidationError("--password and --password-stdin are mutually exclusive")
        }
        if passwordStdin, username == nil { throw ValidationError("Must provide --username with --password-stdin") }
    }

    func run() async throws {
        guard let username, !username.isEmpty else {
            throw CoveError(.invalidInput, "a user name is needed: give --username")
        }
        let secret = try passwordStdin ? Self.readPassword() : password ?? ""
        guard !secret.isEmpty else { throw CoveError(.invalidInput, "a password is needed: give --password-stdin") }
        let domain = try Self.domain(server ?? "")
        let body = RegistryAuthConfig(
            username: username, password: secret, serverAddress: CredentialStore.key(for: domain))
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let json: [UInt8]
            do {
                json = Array(try JSONEncoder().encode(body))
            } catch {
                throw CoveError(.internalError, "cannot encode the login request", cause: "\(error)")
            }
            _ = try await client.send(method: "POST", path: "/auth", body: json)
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        try CredentialStore.chosen().save(username: username, password: secret, for: domain)
        Output.write("Login Succeeded\n")
    }

    /// The registry domain a server argument names: `host[:port]`, a URL, or Docker Hub when empty.
    static func domain(_ server: String) throws(CoveError) -> String {
        var text = Substring(server.trimmingCharacters(in: .whitespaces))
        for scheme in ["http://", "https://"] where text.lowercased().hasPrefix(scheme) {
            text = text.dropFirst(scheme.count)
        }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        if text.isEmpty || text == ImageReference.legacyDefaultDomain { return ImageReference.defaultDomain }
        let reference = try ImageReference(parsing: text + "/x")
        guard reference.domain == String(text) else {
            throw CoveError(.invalidInput, "invalid registry \(String(reflecting: server)): expected host[:port]")
        }
        return reference.domain
    }

    /// The password from stdin: everything up to the end, trailing newlines removed.
    private static func readPassword() throws(CoveError) -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CoveError(.invalidInput, "the password on stdin is not UTF-8")
        }
        return String(text.reversed().drop { $0 == "\n" || $0 == "\r" }.reversed())
    }
}
