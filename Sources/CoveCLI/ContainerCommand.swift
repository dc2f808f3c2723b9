import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove container`: the container commands, as `docker container` has them. The top-level
/// `run`, `ps`, `exec` and `logs` stay free for the Compose commands, as in `docker compose`.
struct ContainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Manage containers.",
        subcommands: [
            ContainerCreateCommand.self, ContainerRunCommand.self, ContainerStartCommand.self,
            ContainerStopCommand.self, ContainerRestartCommand.self, ContainerKillCommand.self,
            ContainerRemoveCommand.self, ContainerListCommand.self, ContainerLogsCommand.self,
            ContainerInspectCommand.self, ContainerWaitCommand.self, ContainerPauseCommand.self,
            ContainerUnpauseCommand.self, ContainerRenameCommand.self, ContainerPruneCommand.self,
            ContainerStatsCommand.self, ContainerExecCommand.self, ContainerTopCommand.self, ContainerDiffCommand.self,
            ContainerCopyCommand.self, ContainerExportCommand.self, ContainerCommitCommand.self,
            ContainerUpdateCommand.self,
        ]
    )
}

/// What the container commands share.
enum ContainerCommandSupport {
    /// The container name or id as it goes in a path.
    static func path(_ container: String, _ action: String = "") -> String {
        "/containers/\(ImageCommandSupport.pathName(container))" + (action.isEmpty ? "" : "/" + action)
    }

    /// Runs `body` for each container, printing each name done (as docker does) and each
    /// failure; exits 1 after them when one failed.
    static func each(_ containers: [String], printName: Bool = true, _ body: (String) async throws(CoveError) -> Void)
        async throws
    {
        var failures: [CoveError] = []
        for container in containers {
            do throws(CoveError) {
                try await body(container)
                if printName { Output.write(container + "\n") }
            } catch {
                failures.append(ImageCommandSupport.plain(error))
            }
        }
        guard let last = failures.last else { return }
        for failure in failures.dropLast() { Output.error("error: \(failure)") }
        throw last
    }

    /// Splits Docker's multiplexed log stream into stdout and stderr writes; `raw` (a tty
    /// container) passes everything to stdout. Keeps a partial frame between calls.
    struct Demultiplexer {
        var raw: Bool
        var pending: [UInt8] = []

        mutating func feed(_ bytes: [UInt8]) {
            if raw {
                FileHandle.standardOutput.write(Data(bytes))
                return
            }
            pending += bytes
            while pending.count >= 8 {
                let length = pending[4...7].reduce(0) { ($0 << 8) | Int($1) }
                guard pending.count >= 8 + length else { return }
                let payload = Data(pending[8..<(8 + length)])
                if pending[0] == 2 {
                    FileHandle.standardError.write(payload)
                } else {
                    FileHandle.standardOutput.write(payload)
                }
                pending.removeSubrange(0..<(8 + length))
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], what: String) throws(CoveError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw CoveError(.internalError, "the engine's answer to \(what) is not valid", cause: "\(error)")
        }
    }
}
