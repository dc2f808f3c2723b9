import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image`: the image commands, as `docker image` has them. Each one talks to the engine that
/// `--host`, `COVE_HOST` or `DOCKER_HOST` names, starting Cove's own daemon when needed.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Manage images.",
        subcommands: [
            ImageListCommand.self, ImageInspectCommand.self, ImageTagCommand.self, ImageRemoveCommand.self,
            ImageImportCommand.self, ImageLoadCommand.self, ImageSaveCommand.self, ImageHistoryCommand.self,
            ImagePruneCommand.self,
            ImagePullCommand.self, ImagePushCommand.self,
        ]
    )
}

/// What the image commands share: connecting, and the engine's errors in Docker's words.
enum ImageCommandSupport {
    /// A client for the engine `root` chooses (starting the Cove daemon when needed).
    static func connect(_ root: CoveCommand) async throws(CoveError) -> EngineClient {
        try await EngineConnector.connect(root.engine)
    }

    /// `error` without the HTTP status and request the client adds as its cause, so an answer such as
    /// 404 "No such image: x" prints as `error: No such image: x`; transport failures keep their cause.
    static func plain(_ error: CoveError) -> CoveError {
        guard let cause = error.cause, cause.hasPrefix("HTTP ") else { return error }
        return CoveError(error.code, error.message)
    }

    /// The name as it goes in a path (`/images/{name}/json`): Docker's clients send it unescaped,
    /// slashes included; only characters that would end the path or break the request line are escaped.
    static func pathName(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }
}
