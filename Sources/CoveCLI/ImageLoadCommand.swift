import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image load [-i FILE] [-q]`: loads images from a `docker save` or OCI layout archive,
/// streamed to the engine (`POST /images/load`) from the file or standard input, and prints the
/// engine's `Loaded image: …` lines.
struct ImageLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load images from a tar archive (docker save format or OCI image layout).",
        discussion: "Layers may be uncompressed, gzip or zstd. Reads standard input unless --input is given."
    )

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Read from a tar archive file instead of standard input.")
    var input: String?

    @Flag(name: .shortAndLong, help: "Suppress the load output.")
    var quiet = false

    func run() async throws {
        if input == nil, isatty(STDIN_FILENO) == 1 {
            throw CoveError(
                .invalidInput,
                "requested load from stdin, but stdin is empty or a terminal; use -i FILE or pipe an archive")
        }
        let (handle, length) =
            try input.map { path throws(CoveError) in try EngineClient.openUpload(path) }
            ?? (FileHandle.standardInput, nil)
        defer { if input != nil { try? handle.close() } }
        let client = try await ImageCommandSupport.connect(root)
        let response: EngineResponse
        do throws(CoveError) {
            response = try await client.send(
                method: "POST", path: "/images/load", query: quiet ? [("quiet", "1")] : [], bodyFile: handle,
                length: length)
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        let lines = try Self.messages(response.body)
        if !quiet { Output.write(lines.joined()) }
    }

    /// The `stream` texts of the engine's answer; a line that reports an error throws it.
    static func messages(_ body: [UInt8]) throws(CoveError) -> [String] {
        try ProgressMessage.lines(of: body, answering: "the load").compactMap(\.stream)
    }
}
