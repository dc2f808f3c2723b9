import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation

/// The image endpoints: list, inspect, tag, delete, history and prune (`ImageImport` has
/// `POST /images/create`, `ImageRoutes+HistoryPrune` history and prune, `ImageLoad` and `ImageSave`
/// load and save), and the registry ones: pull (`ImageRoutes+Pull`), push (`ImageRoutes+Push`) and
/// `/auth` (`ImageRoutes+Auth`).
///
/// Every failure is a `CoveError`, answered as `{"message": …}` with Docker's status: 404 for an
/// unknown image, 409 for a conflict, 400 for other bad input, 500 for the engine's own failures.
public struct ImageRoutes: Sendable {
    public var repository: ImageRepository
    /// The platform imported images are made for (`GOARCH` name, as `amd64`).
    public var architecture: String
    /// The clock, for an import's `created` time.
    public var clock: @Sendable () -> Date
    /// The largest body `POST /images/create?fromSrc=-` accepts.
    public var importLimit: Int64
    /// How pulls, pushes and `/auth` reach registries.
    public var registries: RegistryAccess
    /// Where images' layers are unpacked; nil leaves them packed (tests of the API alone).
    public var snapshots: ImageSnapshots?
    /// Where image events go; nil emits none (tests of the API alone).
    public var events: EventBus?

    public init(
        repository: ImageRepository, architecture: String, clock: @escaping @Sendable () -> Date = { Date() },
        importLimit: Int64 = 8 << 30, registries: RegistryAccess = RegistryAccess(), snapshots: ImageSnapshots? = nil
    ) {
        self.repository = repository
        self.architecture = architecture
        self.clock = clock
        self.importLimit = importLimit
        self.registries = registries
        self.snapshots = snapshots
    }

    /// Unpacks an arriving image's layers (when the routes have a snapshot store), then registers it.
    func prepareAndRegister(_ registration: ImageRegistration) async throws(CoveError) -> StoredImage {
        if let snapshots { try await snapshots.prepare(registration) }
        return try repository.register(registration, now: clock())
    }

    /// Answers with `body`'s response, then removes the snapshots no image needs any more.
    func collectingSnapshots(_ body: () throws(CoveError) -> APIResponse) async -> APIResponse {
        let response = Self.answer(body)
        if let snapshots, response.status < 400 { _ = try? await snapshots.collect() }
        return response
    }

    /// The routes, for `Router`.
    public var routes: [Route] {
        [
            Route(["GET"], "/images/json") { context in Self.answer { () throws(CoveError) in try list(context) } },
            Route(["GET"], "/images/{name}/json") { context in
                Self.answer { () throws(CoveError) in try inspect(context.pathParameter ?? "") }
            },
            Route(["POST"], "/images/{name}/tag") { context in
                Self.answer { () throws(CoveError) in try tag(context) }
            },
            Route(["GET"], "/images/{name}/history") { context in
                Self.answer { () throws(CoveError) in try history(context.pathParameter ?? "") }
            },
            Route(["POST"], "/images/prune") { context in
                await collectingSnapshots { () throws(CoveError) in try prune(context) }
            },
            Route(["DELETE"], "/images/{name}") { context in
                await collectingSnapshots { () throws(CoveError) in try delete(context) }
            },
            Route(["POST"], "/images/create", streamsBody: true) { context in await create(context) },
            Route(["POST"], "/images/load", streamsBody: true) { context in await load(context) },
            Route(["GET"], "/images/get") { context in
                await save(QueryParameters(context.request.query).all("names"))
            },
            Route(["GET"], "/images/{name}/get") { context in await save([context.pathParameter ?? ""]) },
            Route(["POST"], "/images/{name}/push") { context in await push(context) },
            Route(["POST"], "/auth") { context in await authenticate(context) },
        ]
    }

    /// `GET /images/json`: filters `reference` (glob on `name` or `name:tag`) and `dangling`.
    func list(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let filters = try query.filters()
        for name in filters.keys where !["reference", "dangling"].contains(name) {
            throw CoveError(.invalidInput, "invalid filter '\(name)'")
        }
        var dangling: Bool?
        if let values = filters["dangling"], let value = values.first {
            switch value.lowercased() {
            case "true", "1": dangling = true
            case "false", "0": dangling = false
            default: throw CoveError(.invalidInput, "invalid filter 'dangling=\(value)'")
            }
        }
        let patterns = filters["reference"] ?? []
        var summaries: [ImageSummary] = []
        for image in try repository.list() {
            if let dangling, dangling != image.repoTags.isEmpty { continue }
            if !patterns.isEmpty, !Self.matches(image, patterns) { continue }
            let config = try? readConfig(image)
            let created = image.image.created ?? image.image.registeredAt
            summaries.append(
                ImageSummary(
                    id: image.id.description, repoTags: image.repoTags, repoDigests: image.repoDigests,
                    created: Int64(created.timeIntervalSince1970), size: image.image.size,
                    virtualSize: image.image.size, labels: config?.config?.labels ?? [:]))
        }
        return .json(summaries)
    }

    /// `GET /images/{name}/json`.
    func inspect(_ name: String) throws(CoveError) -> APIResponse {
        let image = try repository.resolve(name)
        let config = try readConfig(image)
        let created =
            config.created
            ?? Timestamp.rfc3339Nano(
                secondsSince1970: (image.image.created ?? image.image.registeredAt).timeIntervalSince1970)
        let body = ImageInspectJSON(
            id: image.id.description, repoTags: image.repoTags, repoDigests: image.repoDigests,
            comment: config.history?.last?.comment ?? "", created: created, author: config.author ?? "",
            config: config.config ?? ContainerConfig(), architecture: config.architecture, variant: config.variant,
            os: config.os, size: image.image.size, virtualSize: image.image.size,
            rootFS: .init(layers: config.rootfs.diffIDs.map(\.description)),
            metadata: .init(lastTagTime: "0001-01-01T00:00:00Z"))
        return .json(body)
    }

    /// `POST /images/{name}/tag?repo=…&tag=…` → 201.
    func tag(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let target = try Self.reference(repo: query["repo"] ?? "", tag: query["tag"] ?? "")
        try repository.tag(context.pathParameter ?? "", as: target, now: clock())
        emitImage("tag", id: (try? repository.resolve(target.string))?.id.description ?? "", name: target.familiar)
        return APIResponse(status: 201)
    }

    /// `DELETE /images/{name}?force=` → the list of what was untagged and deleted.
    func delete(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let force = QueryParameters(context.request.query).bool("force")
        let id = (try? repository.resolve(context.pathParameter ?? ""))?.id.description ?? ""
        let items = try repository.delete(context.pathParameter ?? "", force: force)
        emitDeletion(items, id: id)
        return .json(items)
    }

    /// The image config blob of `image`.
    func readConfig(_ image: StoredImage) throws(CoveError) -> ImageConfig {
        let data = try repository.content.read(image.id, maximumSize: 8 << 20)
        return try OCIJSON.decode(ImageConfig.self, from: data, document: "image config \(image.id)")
    }

    /// `repo` and `tag` as Docker's tag and import endpoints take them: `tag` may be empty (then
    /// `repo` may carry one, else `latest`).
    static func reference(repo: String, tag: String) throws(CoveError) -> ImageReference {
        guard !repo.isEmpty else { throw CoveError(.invalidInput, "repository name must have at least one component") }
        let parsed = try ImageReference(parsing: repo)
        if parsed.digest != nil { throw CoveError(.invalidInput, "refusing to create a tag with a digest reference") }
        return tag.isEmpty ? parsed.withDefaultTag : try parsed.repository.withTag(tag)
    }

    /// True when a reference of `image` matches one of the glob `patterns`, on its familiar name or name:tag.
    static func matches(_ image: StoredImage, _ patterns: [String]) -> Bool {
        let references = image.references.compactMap { try? ImageReference(parsing: $0) }
        return references.contains { reference in
            patterns.contains { pattern in
                Glob.matches(pattern, reference.familiarName) || Glob.matches(pattern, reference.familiar)
            }
        }
    }

    /// Runs `body`, answering a `CoveError` with its status.
    static func answer(_ body: () throws(CoveError) -> APIResponse) -> APIResponse {
        do {
            return try body()
        } catch {
            return errorResponse(error)
        }
    }

    /// A `CoveError` as Docker answers it: 404, 409 for a conflict, 401 for refused credentials, 400, or 500.
    static func errorResponse(_ error: CoveError) -> APIResponse {
        switch error.code {
        case .notFound: return .error(404, error.message)
        case .conflict: return .error(409, error.description)
        case .unauthorized: return .error(401, error.description)
        case .invalidInput: return .error(400, error.description)
        case .io, .internalError: return .error(500, error.description)
        }
    }
}

/// Go's `path.Match` for the image filters: `*` any run of characters but `/`, `?` one such
/// character, every other character itself.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern), 0, Array(text), 0)
    }

    private static func matches(_ pattern: [Character], _ p: Int, _ text: [Character], _ t: Int) -> Bool {
        guard p < pattern.count else { return t == text.count }
        switch pattern[p] {
        case "*":
            var index = t
            while true {
                if matches(pattern, p + 1, text, index) { return true }
                guard index < text.count, text[index] != "/" else { return false }
                index += 1
            }
        case "?":
            return t < text.count && text[t] != "/" && matches(pattern, p + 1, text, t + 1)
        default:
            return t < text.count && text[t] == pattern[p] && matches(pattern, p + 1, text, t + 1)
        }
    }
}
