import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image rm`: removes each image (or one of its tags), printing `Untagged: …` and
/// `Deleted: sha256:…` lines as `docker image rm` does. An image that cannot be removed is reported
/// and the others are still removed; the command then exits 1.
struct ImageRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove one or more images.",
        aliases: ["remove", "rmi"]
    )

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Force removal of the image (an image with several tags, or in use).")
    var force = false

    @Argument(help: ArgumentHelp("The images (name, name:tag, id or id prefix).", valueName: "image"))
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("\"rm\" requires at least 1 argument.") }
    }

    /// One line of the engine's answer: `{"Untagged": …}` or `{"Deleted": …}`.
    struct DeleteItem: Decodable {
        var untagged: String?
        var deleted: String?

        enum CodingKeys: String, CodingKey {
            case untagged = "Untagged"
            case deleted = "Deleted"
        }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var failures: [CoveError] = []
        for image in images {
            do throws(CoveError) {
                let response = try await client.send(
                    method: "DELETE", path: "/images/\(ImageCommandSupport.pathName(image))",
                    query: force ? [("force", "1")] : [])
                Output.write(try Self.lines(response.body))
            } catch {
                failures.append(ImageCommandSupport.plain(error))
            }
        }
        guard let last = failures.last else { return }
        for failure in failures.dropLast() { Output.error("error: \(failure)") }
        throw last
    }

    /// The answer as `Untagged: x` and `Deleted: sha256:…` lines.
    static func lines(_ body: [UInt8]) throws(CoveError) -> String {
        let items: [DeleteItem]
        do {
            items = try JSONDecoder().decode([DeleteItem].self, from: Data(body))
        } catch {
            throw CoveError(.internalError, "the engine's answer to an image removal is not valid", cause: "\(error)")
        }
        return items.map { item in
            if let untagged = item.untagged { return "Untagged: \(untagged)\n" }
            return item.deleted.map { "Deleted: \($0)\n" } ?? ""
        }.joined()
    }
}
