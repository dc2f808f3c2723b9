import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation

extension ImageRoutes {
    /// `POST /images/{name}/push?tag=…`: pushes the image `name:tag` names (every local tag of the
    /// repository when `tag` is empty), with the credentials of `X-Registry-Auth`. An image that is
    /// not here, or a registry that cannot be reached, is an error status; after that the answer is
    /// Docker's JSON progress stream.
    func push(_ context: RouteContext) async -> APIResponse {
        do throws(CoveError) {
            let query = QueryParameters(context.request.query)
            let named = try ImageReference(parsing: context.pathParameter ?? "")
            let tag = query["tag"] ?? ""
            let targets = try pushTargets(named, tag: tag)
            let auth = try RegistryAuthConfig.decodeHeader(context.request.header("X-Registry-Auth") ?? "")
            let client = try registries.client(for: named, auth: auth)
            let pushes = try targets.map { target throws(CoveError) in
                ImagePush(
                    repository: repository, access: registries, client: client, target: target,
                    image: try repository.resolve(target.string))
            }
            return .stream { writer in
                await Self.pump(into: writer) { progress throws(CoveError) in
                    progress(.status("The push refers to repository [\(named.name)]"))
                    for push in pushes {
                        try await push.run(progress: progress)
                        emitImage("push", id: push.target.familiar)
                    }
                }
            }
        } catch {
            return Self.errorResponse(error)
        }
    }

    /// The references a push sends: `name:tag`, or every local tag of `name`'s repository.
    private func pushTargets(_ named: ImageReference, tag: String) throws(CoveError) -> [ImageReference] {
        if !tag.isEmpty {
            let target = try named.repository.withTag(tag)
            guard (try? repository.resolve(target.string)) != nil else {
                throw CoveError(.notFound, "An image does not exist locally with the tag: \(target.familiarName)")
            }
            return [target]
        }
        if named.tag != nil { return try pushTargets(named, tag: named.tag ?? "") }
        let tagged = try repository.list().flatMap(\.references).compactMap { try? ImageReference(parsing: $0) }
            .filter { $0.name == named.name && $0.tag != nil && $0.digest == nil }
        guard !tagged.isEmpty else {
            throw CoveError(.notFound, "An image does not exist locally with the tag: \(named.familiarName)")
        }
        return tagged.sorted { $0.string < $1.string }
    }
}
