import ArgumentParser
import CoveAPI
import CoveCore
import CoveImage
import Foundation

/// `cove image pull NAME[:TAG|@DIGEST]`: the engine pulls the image from its registry, with the
/// credentials `cove login` saved; progress is shown as it comes.
struct ImagePullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download an image from a registry.",
        discussion: """
            Cove reaches registries over plain HTTP only: those on a loopback address, and those the \
            daemon names with --insecure-registry.
            """
    )

    @ParentCommand var root: CoveCommand

    @Option(help: ArgumentHelp("Set platform if server is multi-platform capable.", valueName: "os/arch[/variant]"))
    var platform: String?

    @Flag(name: .shortAndLong, help: "Suppress verbose output.")
    var quiet = false

    @Argument(help: ArgumentHelp("The image to pull.", valueName: "name[:tag|@digest]"))
    var image: String

    func run() async throws {
        let reference = try ImageReference(parsing: image)
        var query: [(name: String, value: String)] = [
            ("fromImage", reference.repository.familiarName),
            ("tag", reference.digest?.description ?? reference.tag ?? ImageReference.defaultTag),
        ]
        if let platform { query.append(("platform", platform)) }
        let client = try await ImageCommandSupport.connect(root)
        try await RegistryCommandSupport.run(
            client, method: "POST", path: "/images/create", query: query,
            headers: [try RegistryCommandSupport.authHeader(for: reference)], quiet: quiet)
        // As the docker CLI, end with the fully qualified reference (the only output with -q).
        Output.write(reference.forPull.string + "\n")
    }
}
