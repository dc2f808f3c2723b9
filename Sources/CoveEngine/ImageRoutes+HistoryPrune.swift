import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation

extension ImageRoutes {
    /// `GET /images/{name}/history`: the steps of the image config's history, newest first.
    ///
    /// A step that made a layer (no `empty_layer`) gets the size of the image's next layer, in
    /// order; an empty step gets 0. The newest step carries the image's id and tags; the others
    /// are `<missing>`, as Docker shows steps whose parent images are not local.
    func history(_ name: String) throws(CoveError) -> APIResponse {
        let image = try repository.resolve(name)
        let config = try readConfig(image)
        let imageCreated = Int64((image.image.created ?? image.image.registeredAt).timeIntervalSince1970)
        var steps = config.history ?? []
        if steps.isEmpty {
            steps = image.layers.map { _ in History() }
        }
        var layers = image.layers.makeIterator()
        var items: [ImageHistoryItem] = []
        for step in steps {
            let size = step.emptyLayer == true ? 0 : (layers.next()?.size ?? 0)
            items.append(
                ImageHistoryItem(
                    id: "<missing>", created: step.created.flatMap(Self.unixSeconds) ?? imageCreated,
                    createdBy: step.createdBy ?? "", tags: nil, size: size, comment: step.comment ?? ""))
        }
        items.reverse()
        if !items.isEmpty {
            items[0].id = image.id.description
            items[0].tags = image.repoTags
        }
        return .json(items)
    }

    /// `POST /images/prune?filters=`: deletes the dangling images (`dangling=false`: every image,
    /// as no container uses one yet), then the blobs no image references; answers what was untagged
    /// and deleted and the bytes of the blobs removed.
    ///
    /// The blobs go in `ImageRepository.garbageCollect`'s write transaction, so an image registered
    /// concurrently keeps its blobs, and the blobs of imports, loads and pulls in flight are leased
    /// (`BlobLeases`). The routes then remove the snapshots no image needs (`ImageSnapshots.collect`).
    func prune(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let filters = try QueryParameters(context.request.query).filters()
        for name in filters.keys where name != "dangling" {
            throw CoveError(.invalidInput, "invalid filter '\(name)'")
        }
        var danglingOnly = true
        for value in filters["dangling"] ?? [] {
            switch value.lowercased() {
            case "true", "1": danglingOnly = true
            case "false", "0": danglingOnly = false
            default: throw CoveError(.invalidInput, "invalid filter 'dangling=\(value)'")
            }
        }
        let deleted = try repository.prune(all: !danglingOnly)
        let content = repository.content
        var sizes: [Digest: Int64] = [:]
        for digest in try repository.garbageCollect(dryRun: true) {
            sizes[digest] = try? content.size(of: digest)
        }
        let removed = try repository.garbageCollect()
        let reclaimed = removed.reduce(Int64(0)) { $0 + (sizes[$1] ?? 0) }
        return .json(ImagePruneJSON(imagesDeleted: deleted, spaceReclaimed: reclaimed))
    }

    /// Unix seconds of an RFC 3339 time such as `2024-05-01T12:34:56.123456789Z`, or nil.
    static func unixSeconds(_ text: String) -> Int64? {
        var trimmed = text
        if let dot = trimmed.firstIndex(of: ".") {
            let end = trimmed[dot...].dropFirst().firstIndex { !$0.isNumber } ?? trimmed.endIndex
            trimmed.removeSubrange(dot..<end)
        }
        guard let date = ISO8601DateFormatter().date(from: trimmed) else { return nil }
        return Int64(date.timeIntervalSince1970)
    }
}

/// The body of `POST /images/prune`, in Docker's shape (API v1.43 `ImagePruneResponse`).
struct ImagePruneJSON: Encodable, Sendable {
    /// Null when nothing was deleted, as Docker writes it.
    var imagesDeleted: [ImageDeleteItem]
    var spaceReclaimed: Int64

    enum CodingKeys: String, CodingKey {
        case imagesDeleted = "ImagesDeleted"
        case spaceReclaimed = "SpaceReclaimed"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if imagesDeleted.isEmpty {
            try container.encodeNil(forKey: .imagesDeleted)
        } else {
            try container.encode(imagesDeleted, forKey: .imagesDeleted)
        }
        try container.encode(spaceReclaimed, forKey: .spaceReclaimed)
    }
}
