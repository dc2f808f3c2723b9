import ArgumentParser
import CoveAPI
import CoveCore

/// `cove image tag SOURCE TARGET`: gives the image SOURCE names the further reference TARGET.
struct ImageTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE."
    )

    @ParentCommand var root: CoveCommand

    @Argument(help: ArgumentHelp("The image to tag (name, name:tag, id or id prefix).", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("The new reference, name[:tag] (tag `latest` when omitted).", valueName: "target"))
    var target: String

    func validate() throws {
        if target.contains("@") { throw ValidationError("refusing to create a tag with a digest reference") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        let (repository, tag) = ImageRow.split(target)
        do throws(CoveError) {
            _ = try await client.send(
                method: "POST", path: "/images/\(ImageCommandSupport.pathName(source))/tag",
                query: [("repo", repository), ("tag", tag == "<none>" ? "" : tag)])
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
