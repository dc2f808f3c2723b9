import ArgumentParser
import CoveCore
import Foundation

/// `cove logout [SERVER]`: forgets the credentials `cove login` saved for a registry.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Log out from a registry.",
        discussion: "SERVER is a registry's host[:port]; Docker Hub when omitted."
    )

    @Argument(help: ArgumentHelp("The registry.", valueName: "server"))
    var server: String?

    func run() throws {
        let domain = try LoginCommand.domain(server ?? "")
        let key = CredentialStore.key(for: domain)
        if try CredentialStore.chosen().remove(for: domain) {
            Output.write("Removing login credentials for \(key)\n")
        } else {
            Output.write("Not logged in to \(key)\n")
        }
    }
}
