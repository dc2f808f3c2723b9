import ArgumentParser
import CoveAPI
import CoveCore

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
        try TarDownload.checkDestination(output)
        let client = try await ImageCommandSupport.connect(root)
        try await TarDownload.save(
            client, path: "/images/get", query: images.map { (name: "names", value: $0) }, to: output)
    }
}
