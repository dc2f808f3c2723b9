import ArgumentParser
import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// `cove image save [-o FILE] IMAGE...`: writes images as one tar archive (an OCI image layout
/// that is also a `docker save` archive), streamed from the engine (`GET /images/get`).
struct ImageSaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Save one or more images to a tar archive (streamed to standard output by default)."
    )

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Write to a file instead of standard output.")
    var output: String?

    @Argument(help: ArgumentHelp("The images to save.", valueName: "image"))
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("at least one image is needed") }
    }

    func run() async throws {
        if output == nil, isatty(STDOUT_FILENO) == 1 {
            throw CoveError(
                .invalidInput, "cowardly refusing to save to a terminal. Use the -o flag or redirect")
        }
        let client = try await ImageCommandSupport.connect(root)
        let query = images.map { (name: "names", value: $0) }
        guard let output else {
            do throws(CoveError) {
                _ = try await client.download(path: "/images/get", query: query, to: FileHandle.standardOutput)
            } catch {
                throw ImageCommandSupport.plain(error)
            }
            return
        }
        // Written beside the target and renamed at the end, so a failed save leaves no partial file.
        let temporary = output + ".cove-\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw CoveError(.io, "cannot create \(output)")
        }
        do throws(CoveError) {
            defer { try? handle.close() }
            _ = try await client.download(path: "/images/get", query: query, to: handle)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ImageCommandSupport.plain(error)
        }
        do throws(CoveError) {
            try AtomicFile.replace(output, with: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
