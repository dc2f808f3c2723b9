import ArgumentParser
import CoveAPI
import CoveCore
import CoveImage
import Foundation

/// `cove image push NAME[:TAG]`: the engine pushes the image to its registry, with the credentials
/// `cove login` saved; progress is shown as it comes.
struct ImagePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Upload an image to a registry.",
        discussion: """
            Without a tag, pushes name:latest; with --all-tags, every local tag of the repository. \
            Cove reaches registries over plain HTTP only: those on a loopback address, and those the \
            daemon names with --insecure-registry.
            """
    )

    @ParentCommand var root: CoveCommand

    @Flag(name: [.customShort("a"), .customLong("all-tags")], help: "Push all tags of the repository.")
    var allTags = false

    @Flag(name: .shortAndLong, help: "Suppress verbose output.")
    var quiet = false

    @Argument(help: ArgumentHelp("The image to push.", valueName: "name[:tag]"))
    var image: String

    func run() async throws {
        let reference = try ImageReference(parsing: image)
        if reference.digest != nil { throw CoveError(.invalidInput, "cannot push a digest reference: \(image)") }
        if allTags, reference.tag != nil { throw CoveError(.invalidInput, "tag can't be used with --all-tags/-a") }
        let tag = allTags ? "" : reference.tag ?? ImageReference.defaultTag
        let client = try await ImageCommandSupport.connect(root)
        try await RegistryCommandSupport.run(
            client, method: "POST",
            path: "/images/\(ImageCommandSupport.pathName(reference.repository.familiarName))/push",
            query: [("tag", tag)], headers: [try RegistryCommandSupport.authHeader(for: reference)], quiet: quiet)
        if quiet { Output.write(reference.withDefaultTag.familiar + "\n") }
    }
}
