import CoveCore
import CoveImage
import GRDB

/// One line of what `docker image rm` did: `{"Untagged": "busybox:latest"}` or
/// `{"Deleted": "sha256:…"}`, in Docker's JSON shape.
public enum ImageDeleteItem: Hashable, Sendable, Codable {
    /// A reference was removed (familiar form).
    case untagged(String)
    /// An image was deleted (its id).
    case deleted(Digest)

    private enum CodingKeys: String, CodingKey {
        case untagged = "Untagged"
        case deleted = "Deleted"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let reference = try container.decodeIfPresent(String.self, forKey: .untagged) {
            self = .untagged(reference)
        } else {
            self = .deleted(try container.decode(Digest.self, forKey: .deleted))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .untagged(let reference): try container.encode(reference, forKey: .untagged)
        case .deleted(let id): try container.encode(id, forKey: .deleted)
        }
    }
}

extension ImageRepository {
    /// `docker image rm`, with Docker's rules, in one transaction:
    /// - named by a reference: that reference is removed (and, when it was the repository's last
    ///   tag, the repository's digest references with it); the image is deleted only when nothing
    ///   else names it;
    /// - named by id: the image is deleted, with its references when they are one tag and digest
    ///   references of the same repository; when more references name it, only with `force`.
    ///
    /// An image a container uses is not deleted: without `force` that is a conflict (Docker's
    /// message); with it, the references go and the image stays, untagged, while containers use it
    /// (a running container's image cannot be deleted by id even with `force`).
    ///
    /// Blobs are not removed here: `garbageCollect` does that once no image needs them.
    public func delete(_ text: String, force: Bool = false) throws(CoveError) -> [ImageDeleteItem] {
        try state.write("delete image \(text)") { db in
            let image = try ImageResolution.resolve(text, in: db)
            var references = try Self.references(of: image.id, in: db)
            var items: [ImageDeleteItem] = []
            if !ImageResolution.isIDPrefix(text, of: image.id) {
                let named = try ImageResolution.normalized(ImageReference(parsing: text))
                try Self.remove(named, into: &items, in: db)
                references.removeAll { $0 == named }
                let repositoryKeepsATag = references.contains { $0.digest == nil && $0.name == named.name }
                if named.digest == nil, !repositoryKeepsATag {
                    for digested in references where digested.digest != nil && digested.name == named.name {
                        try Self.remove(digested, into: &items, in: db)
                    }
                    references.removeAll { $0.digest != nil && $0.name == named.name }
                }
                if !references.isEmpty { return items }
            } else if Self.isSingleReference(references) {
                for reference in references { try Self.remove(reference, into: &items, in: db) }
                references = []
            }
            if !references.isEmpty {
                guard force else {
                    throw CoveError(
                        .conflict,
                        "conflict: unable to delete \(image.id.shortHex) (must be forced) - "
                            + "image is referenced in multiple repositories")
                }
                for reference in references { try Self.remove(reference, into: &items, in: db) }
            }
            if let user = try ContainerRepository.users(of: image.id, in: db).first {
                let byID = ImageResolution.isIDPrefix(text, of: image.id)
                let container = String(user.id.prefix(12))
                if byID, user.isRunning {
                    throw CoveError(
                        .conflict,
                        "conflict: unable to delete \(image.id.shortHex) (cannot be forced) - "
                            + "image is being used by running container \(container)")
                }
                guard force else {
                    throw CoveError(
                        .conflict,
                        byID
                            ? "conflict: unable to delete \(image.id.shortHex) (must be forced) - "
                                + "image is being used by stopped container \(container)"
                            : "conflict: unable to remove repository reference \"\(text)\" (must force) - "
                                + "container \(container) is using its referenced image \(image.id.shortHex)")
                }
                // Forced: the references go, the image stays (untagged) for the containers made of it.
                return items
            }
            _ = try ImageRecord.deleteOne(db, key: image.id)
            items.append(.deleted(image.id))
            return items
        }
    }

    /// The parsed references naming an image, sorted.
    static func references(of id: Digest, in db: Database) throws -> [ImageReference] {
        try ImageReferenceRecord.filter(ImageReferenceRecord.CodingKeys.imageID == id)
            .order(ImageReferenceRecord.CodingKeys.reference).fetchAll(db)
            .map { row in try ImageReference(parsing: row.reference) }
    }

    /// Deletes a reference row and records it.
    private static func remove(_ reference: ImageReference, into items: inout [ImageDeleteItem], in db: Database)
        throws
    {
        if try ImageReferenceRecord.deleteOne(db, key: reference.string) {
            items.append(.untagged(reference.familiar))
        }
    }

    /// Docker's `isSingleReference`: at most one tag, and every reference in one repository.
    static func isSingleReference(_ references: [ImageReference]) -> Bool {
        guard references.count > 1 else { return references.count == 1 }
        let tags = references.filter { $0.digest == nil }
        guard tags.count <= 1 else { return false }
        let digestNames = Set(references.filter { $0.digest != nil }.map(\.name))
        let name = tags.first?.name ?? references[0].name
        return digestNames.count == 1 && digestNames.contains(name)
    }
}
