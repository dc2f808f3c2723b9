import ArgumentParser
import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// `cove container cp SRC DST`: copies files between a container and the host, as `docker cp`
/// does: `CONTAINER:PATH` on one side, a host path or `-` (a tar on standard input or output)
/// on the other. Archives go through `/containers/{id}/archive`; on the host, nothing lands
/// outside the target directory whatever the archive's names.
struct ContainerCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp", abstract: "Copy files between a container and the local filesystem.")

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Keep the owner of the source files (archive mode).")
    var archive = false

    @Flag(name: [.customShort("L"), .customLong("follow-link")], help: "Follow a symlink given as the source.")
    var followLink = false

    @Argument(help: ArgumentHelp("CONTAINER:PATH, a host path, or - for a tar on standard input.", valueName: "src"))
    var source: String

    @Argument(help: ArgumentHelp("CONTAINER:PATH, a host path, or - for a tar on standard output.", valueName: "dst"))
    var destination: String

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            switch (CopyEndpoint(source), CopyEndpoint(destination)) {
            case (.container(let container, let path), .host(let host)):
                try await ContainerCopy(client: client, container: container, archive: archive)
                    .copyOut(path, to: host, followLink: followLink)
            case (.host(let host), .container(let container, let path)):
                try await ContainerCopy(client: client, container: container, archive: archive)
                    .copyIn(host, to: path, followLink: followLink)
            case (.container, .container):
                throw CoveError(.invalidInput, "copying between containers is not supported")
            case (.host, .host):
                throw CoveError(.invalidInput, "must specify at least one container source")
            }
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}

/// One side of `cp`: Docker's `splitCpArg` rules (an absolute path or one starting with `.`
/// is on the host even with a colon in it).
enum CopyEndpoint: Equatable {
    case host(String)
    case container(String, String)

    init(_ argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if argument.hasPrefix("/") || parts.count == 1 || parts[0].hasPrefix(".") || parts[0].isEmpty {
            self = .host(argument)
        } else {
            self = .container(String(parts[0]), String(parts[1]))
        }
    }
}
