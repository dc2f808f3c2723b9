import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove volume`: the volume commands, as `docker volume` has them.
struct VolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume",
        abstract: "Manage volumes.",
        subcommands: [
            VolumeCreateCommand.self, VolumeListCommand.self, VolumeInspectCommand.self, VolumeRemoveCommand.self,
            VolumePruneCommand.self,
        ]
    )
}

/// What the volume commands share.
enum VolumeCommandSupport {
    /// The volume name as it goes in a path.
    static func path(_ name: String) -> String {
        "/volumes/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
    }

    /// `key=value` flags (`--label`, `--opt`) as a dictionary; a key alone has an empty value.
    static func pairs(_ items: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            result[parts.first ?? item] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }
}
