import ArgumentParser
import CoveCore
import Foundation

/// `cove`: the root command. It holds the engine flag (`--host`); the Compose commands hold
/// the project flags, which may still be written first (`cove -f a.yaml -p demo config`,
/// see `ProjectArguments`).
public struct CoveCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "cove",
        abstract: "Compose-compatible multi-container orchestrator with its own container engine.",
        discussion: """
            The Compose commands (config, graph) take the project options -f/--file, -p/--project-name, \
            --project-directory, --profile and --env-file, before or after the command name.
            """,
        version: "cove version \(version)",
        subcommands: [
            ConfigCommand.self, GraphCommand.self, VersionCommand.self, DaemonCommand.self, ImageCommand.self,
            ContainerCommand.self, VolumeCommand.self, SystemCommand.self,
            LoginCommand.self, LogoutCommand.self,
        ]
    )

    @OptionGroup public var engine: EngineOptions

    public init() {}
}

/// The process entry point: runs the command and maps failures to exit codes
/// (0 ok, 1 user error with the message on stderr, 2 usage error).
public enum CoveMain {
    /// Runs on the main actor, so a synchronous command (`cove daemon` blocks for its lifetime)
    /// occupies the main thread and never a thread of the concurrency pool; an asynchronous command
    /// runs its `run()` on the pool.
    @MainActor
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        do {
            var command = try CoveCommand.parseAsRoot(ProjectArguments.reordered(arguments))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as CoveError {
            Output.error("error: \(error)")
            return error.exitCode
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = CoveCommand.exitCode(for: error)
            let message = CoveCommand.fullMessage(for: error)
            if code == .success {
                Output.write(message + "\n")
                return 0
            }
            Output.error(message)
            return 2
        }
    }
}
