import ArgumentParser

/// `cove system`: engine-wide commands, as `docker system` has them.
struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Manage the engine.", subcommands: [SystemEventsCommand.self])
}
