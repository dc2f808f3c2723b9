import ArgumentParser
import CoveAPI
import CoveCore

/// `cove container commit [-a] [-c]... [-m] [-p] CONTAINER [REPOSITORY[:TAG]]`: a new image
/// from the container's changes (`POST /commit`); prints its id.
struct ContainerCommitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit", abstract: "Create a new image from a container's changes.")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Author (\"Jane Doe <jane@example.com>\").")
    var author: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Apply a Dockerfile instruction.", valueName: "instruction"))
    var change: [String] = []

    @Option(name: .shortAndLong, help: "Commit message.")
    var message: String?

    @Option(name: .shortAndLong, help: "Pause the container while committing.")
    var pause = true

    @Argument(help: "The container (name, id or id prefix).")
    var container: String

    @Argument(help: ArgumentHelp("The new image's name.", valueName: "repository[:tag]"))
    var reference: String?

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var query: [(name: String, value: String)] = [("container", container), ("pause", pause ? "1" : "0")]
        if let reference {
            let (repo, tag) = Self.split(reference)
            query.append(("repo", repo))
            if let tag { query.append(("tag", tag)) }
        }
        if let author { query.append(("author", author)) }
        if let message { query.append(("comment", message)) }
        query += change.map { ("changes", $0) }
        do throws(CoveError) {
            let response = try await client.send(method: "POST", path: "/commit", query: query)
            Output.write(
                try ContainerCommandSupport.decode(ContainerCommitResponse.self, response.body, what: "commit").id
                    + "\n")
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }

    /// `repo:tag` → (`repo`, `tag`); a colon before the last `/` belongs to a registry's port.
    static func split(_ reference: String) -> (String, String?) {
        guard let colon = reference.lastIndex(of: ":"),
            reference.lastIndex(of: "/").map({ $0 < colon }) ?? true
        else { return (reference, nil) }
        return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
    }
}
