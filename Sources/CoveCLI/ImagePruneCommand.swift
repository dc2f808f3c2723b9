import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image prune`: removes dangling images (with `-a`, every image no container uses, which
/// is every image until containers exist) and the blobs no image needs, as `docker image prune`
/// does. Without `-f` it asks for confirmation on a terminal, and refuses when standard input is
/// not one.
struct ImagePruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove unused images."
    )

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Remove all unused images, not just dangling ones.")
    var all = false

    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.")
    var force = false

    /// The engine's answer (`POST /images/prune`).
    struct Report: Decodable {
        var imagesDeleted: [ImageRemoveCommand.DeleteItem]?
        var spaceReclaimed: Int64

        enum CodingKeys: String, CodingKey {
            case imagesDeleted = "ImagesDeleted"
            case spaceReclaimed = "SpaceReclaimed"
        }
    }

    func run() async throws {
        if !force {
            guard try confirm() else { return }
        }
        let client = try await ImageCommandSupport.connect(root)
        let filters = all ? #"{"dangling":{"false":true}}"# : #"{"dangling":{"true":true}}"#
        do throws(CoveError) {
            let response = try await client.send(method: "POST", path: "/images/prune", query: [("filters", filters)])
            Output.write(try Self.text(response.body))
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }

    /// Docker's warning and question on standard error and output; true when the answer is y or yes.
    func confirm() throws(CoveError) -> Bool {
        guard isatty(STDIN_FILENO) == 1 else {
            throw CoveError(
                .invalidInput, "refusing to prune without --force: standard input is not a terminal to confirm on")
        }
        let warning =
            all
            ? "WARNING! This will remove all images without at least one container associated to them."
            : "WARNING! This will remove all dangling images."
        Output.write(warning + "\nAre you sure you want to continue? [y/N] ")
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    /// The report as docker prints it: "Deleted Images:", `untagged: …` and `deleted: …` lines and a
    /// blank line when something was removed, then "Total reclaimed space: …".
    static func text(_ body: [UInt8]) throws(CoveError) -> String {
        let report: Report
        do {
            report = try JSONDecoder().decode(Report.self, from: Data(body))
        } catch {
            throw CoveError(.internalError, "the engine's answer to an image prune is not valid", cause: "\(error)")
        }
        var text = ""
        let items = report.imagesDeleted ?? []
        if !items.isEmpty {
            text = "Deleted Images:\n"
            for item in items {
                if let untagged = item.untagged { text += "untagged: \(untagged)\n" }
                if let deleted = item.deleted { text += "deleted: \(deleted)\n" }
            }
            text += "\n"
        }
        return text + "Total reclaimed space: \(HumanUnits.size(report.spaceReclaimed, precision: 4))\n"
    }
}
