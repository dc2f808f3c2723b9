import ArgumentParser
import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// `cove container export [-o FILE] CONTAINER`: the container's root filesystem as a tar,
/// streamed from the engine (`GET /containers/{id}/export`).
struct ContainerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a container's filesystem as a tar archive (to standard output by default).")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Write to a file instead of standard output.")
    var output: String?

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    func run() async throws {
        if output == nil, isatty(STDOUT_FILENO) == 1 {
            throw CoveError(
                .invalidInput, "cowardly refusing to save to a terminal. Use the -o flag or redirect")
        }
        let client = try await ImageCommandSupport.connect(root)
        let path = ContainerCommandSupport.path(container, "export")
        guard let output else {
            do throws(CoveError) {
                _ = try await client.download(path: path, to: FileHandle.standardOutput)
            } catch {
                throw ImageCommandSupport.plain(error)
            }
            return
        }
        // Written beside the target and renamed at the end, so a failed export leaves no partial file.
        let temporary = output + ".cove-\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw CoveError(.io, "cannot create \(output)")
        }
        do throws(CoveError) {
            defer { try? handle.close() }
            _ = try await client.download(path: path, to: handle)
            try AtomicFile.replace(output, with: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ImageCommandSupport.plain(error)
        }
    }
}
