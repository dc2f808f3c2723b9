import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image import FILE|- [REFERENCE]`: makes an image of one layer from a rootfs tar, streamed to
/// the engine (`POST /images/create?fromSrc=-`) without being read into memory, and prints its id.
struct ImageImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the contents from a tarball to create a filesystem image.",
        discussion: """
            FILE is a tar archive of a root filesystem, or - for standard input. --change applies a \
            Dockerfile instruction to the image config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, \
            WORKDIR (e.g. --change 'CMD ["/bin/sh"]').
            """
    )

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "Apply a Dockerfile instruction to the created image (repeatable).")
    var change: [String] = []

    @Option(name: .shortAndLong, help: "Set a commit message for the imported image.")
    var message: String = ""

    @Argument(help: ArgumentHelp("The tar archive, or - for standard input.", valueName: "file|-"))
    var file: String

    @Argument(help: ArgumentHelp("The reference to give the image, name[:tag].", valueName: "reference"))
    var reference: String?

    func validate() throws {
        if let reference, reference.contains("@") {
            throw ValidationError("refusing to create a tag with a digest reference")
        }
    }

    func run() async throws {
        let (handle, length) =
            file == "-" ? (FileHandle.standardInput, nil) : try EngineClient.openUpload(file)
        defer { if file != "-" { try? handle.close() } }
        let client = try await ImageCommandSupport.connect(root)
        var query: [(name: String, value: String)] = [("fromSrc", "-")]
        if let reference {
            let (repository, tag) = ImageRow.split(reference)
            query += [("repo", repository), ("tag", tag == "<none>" ? "" : tag)]
        }
        query += change.map { ("changes", $0) }
        if !message.isEmpty { query.append(("message", message)) }
        let response: EngineResponse
        do throws(CoveError) {
            response = try await client.send(
                method: "POST", path: "/images/create", query: query, bodyFile: handle, length: length)
        } catch {
            throw ImageCommandSupport.plain(error)
        }
        Output.write(try Self.imageID(response.body) + "\n")
    }

    /// The image id from the progress stream: the last `status`, unless a line reports an error.
    static func imageID(_ body: [UInt8]) throws(CoveError) -> String {
        let messages = try ProgressMessage.lines(of: body, answering: "the import")
        guard let id = messages.last(where: { $0.status != nil })?.status else {
            throw CoveError(.internalError, "the engine's answer to the import names no image")
        }
        return id
    }
}
