import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation

extension ImageRoutes {
    /// `POST /images/create?fromImage=…&tag=…&platform=…`: a pull, with the credentials of the
    /// `X-Registry-Auth` header. What the reference names is resolved first, so an unknown image,
    /// an unreachable registry or refused credentials are an error status; after that the answer
    /// is Docker's JSON progress stream, which reports a later failure as its last line.
    func pull(_ image: String, context: RouteContext) async -> APIResponse {
        do throws(CoveError) {
            let query = QueryParameters(context.request.query)
            let reference = try Self.pullReference(image: image, tag: query["tag"] ?? "")
            let auth = try RegistryAuthConfig.decodeHeader(context.request.header("X-Registry-Auth") ?? "")
            let host = Platform(os: "linux", architecture: architecture)
            let platformText = query["platform"] ?? ""
            let platform = platformText.isEmpty ? host : try Platform.parse(platformText, host: host)
            let pull = ImagePull(
                repository: repository, access: registries, client: try registries.client(for: reference, auth: auth),
                reference: reference, platform: platform, platformRequested: !platformText.isEmpty, clock: clock)
            let resolved = try await pull.resolve()
            return .stream { writer in
                await Self.pump(into: writer) { progress throws(CoveError) in
                    _ = try await pull.run(resolved, progress: progress)
                    emitImage("pull", id: reference.familiar)
                }
            }
        } catch {
            return Self.errorResponse(error)
        }
    }

    /// The reference a pull resolves: `image` with `tag` (a tag or a digest) when one is given, else
    /// the image's own tag or digest, `latest` by default.
    static func pullReference(image: String, tag: String) throws(CoveError) -> ImageReference {
        let parsed = try ImageReference(parsing: image)
        guard !tag.isEmpty else { return parsed.forPull }
        if tag.contains(":"), let digest = try? Digest(parsing: tag) { return parsed.repository.withDigest(digest) }
        return try parsed.repository.withTag(tag)
    }

    /// Runs `work`, writing every progress line it reports as it comes, and its failure, if any, as
    /// the last line (`{"errorDetail":{"message":…},"error":…}`).
    static func pump(
        into writer: ResponseStreamWriter,
        _ work: @escaping @Sendable (@escaping ProgressSink) async throws(CoveError) -> Void
    ) async {
        let (messages, continuation) = AsyncStream.makeStream(of: ProgressMessage.self)
        let task = Task {
            do throws(CoveError) {
                try await work { continuation.yield($0) }
            } catch {
                continuation.yield(.failure(error.description))
            }
            continuation.finish()
        }
        for await message in messages { await writer.writeLine(message) }
        await task.value
    }
}
