import CoveCore
import CoveImage
import Foundation
import GRDB

/// The engine's images: rows in the `StateStore` over blobs in the `ContentStore`.
///
/// Every change is one transaction. An image is registered only after all its blobs are in the
/// content store, and the check happens inside the write transaction, so a garbage collection
/// (which runs in a write transaction too) can never remove a blob between the check and the
/// commit. After a `kill -9` at any moment an image is either registered with all its rows and
/// blobs, or absent; blobs written for an image that never got registered are left for
/// `garbageCollect`.
public struct ImageRepository: Sendable {
    /// The state database.
    public let state: StateStore
    /// The blobs.
    public let content: ContentStore
    /// The blobs of operations in progress, which `garbageCollect` keeps.
    public let leases: BlobLeases

    public init(state: StateStore, content: ContentStore, leases: BlobLeases = BlobLeases()) {
        self.state = state
        self.content = content
        self.leases = leases
    }

    /// Registers an image and points its references at it, in one transaction. Fails, writing
    /// nothing, when a blob is missing from the content store or a layer blob has another size.
    /// Registering an id that is already there keeps its rows and only moves the references.
    @discardableResult
    public func register(_ registration: ImageRegistration, now: Date = Date()) throws(CoveError) -> StoredImage {
        try registration.validate()
        let content = self.content
        return try state.write("register image \(registration.id)") { db in
            try Self.checkBlobs(of: registration, in: content)
            if try !ImageRecord.exists(db, key: registration.id) {
                let image = ImageRecord(
                    id: registration.id, manifestDigest: registration.manifestDigest,
                    manifestMediaType: registration.manifestMediaType, created: registration.created,
                    size: registration.size, registeredAt: now)
                try image.insert(db)
                for layer in registration.layerRecords() { try layer.insert(db) }
            }
            for reference in registration.references {
                try Self.point(ImageResolution.normalized(reference), at: registration.id, now: now, in: db)
            }
            return try Self.stored(registration.id, in: db)
        }
    }

    /// Points `target` at the image `source` names (`docker tag`); moves it from another image.
    /// Digest references cannot be created this way, as in Docker.
    @discardableResult
    public func tag(_ source: String, as target: ImageReference, now: Date = Date()) throws(CoveError) -> Digest {
        guard target.digest == nil else {
            throw CoveError(.invalidInput, "refusing to create a tag with a digest reference: \(target.familiar)")
        }
        return try state.write("tag \(source) as \(target.familiar)") { db in
            let image = try ImageResolution.resolve(source, in: db)
            try Self.point(ImageResolution.normalized(target), at: image.id, now: now, in: db)
            return image.id
        }
    }

    /// Removes a reference; returns the image it named. The image itself stays, even untagged.
    @discardableResult
    public func untag(_ reference: ImageReference) throws(CoveError) -> Digest {
        let key = ImageResolution.normalized(reference).string
        return try state.write("untag \(reference.familiar)") { db in
            guard let row = try ImageReferenceRecord.fetchOne(db, key: key) else {
                throw CoveError(.notFound, "No such image: \(reference.familiar)")
            }
            try row.delete(db)
            return row.imageID
        }
    }

    /// The image that `text` names: a full id, a reference, or a unique id prefix of 12 or more
    /// hex digits. Throws `notFound` when nothing matches, `invalidInput` for an ambiguous prefix.
    public func resolve(_ text: String) throws(CoveError) -> StoredImage {
        try state.read("resolve image \(text)") { db in
            try Self.stored(ImageResolution.resolve(text, in: db).id, in: db)
        }
    }

    /// The image with this id, or nil.
    public func image(_ id: Digest) throws(CoveError) -> StoredImage? {
        try state.read("read image \(id)") { db in
            try ImageRecord.exists(db, key: id) ? Self.stored(id, in: db) : nil
        }
    }

    /// All images, most recently registered first, each with its references and layers.
    public func list() throws(CoveError) -> [StoredImage] {
        try state.read("list images") { db in
            let images = try ImageRecord.order(ImageRecord.CodingKeys.registeredAt.desc, ImageRecord.CodingKeys.id)
                .fetchAll(db)
            let references = try Dictionary(
                grouping: ImageReferenceRecord.order(ImageReferenceRecord.CodingKeys.reference).fetchAll(db),
                by: \.imageID)
            let layers = try Dictionary(
                grouping: ImageLayerRecord.order(ImageLayerRecord.CodingKeys.position).fetchAll(db), by: \.imageID)
            return images.map { image in
                StoredImage(
                    image: image, references: (references[image.id] ?? []).map(\.reference),
                    layers: layers[image.id] ?? [])
            }
        }
    }

    /// Checks that every blob of the registration is in the content store, and that layer blobs
    /// have the sizes the registration gives.
    private static func checkBlobs(of registration: ImageRegistration, in content: ContentStore) throws(CoveError) {
        let image = registration.id
        for (digest, role) in [(registration.manifestDigest, "manifest"), (image, "config")]
        where !content.contains(digest) {
            throw CoveError(
                .notFound, "cannot register image \(image): its \(role) blob \(digest) is not in the content store")
        }
        for (position, layer) in registration.layers.enumerated() {
            guard content.contains(layer.blobDigest) else {
                throw CoveError(
                    .notFound,
                    "cannot register image \(image): the blob \(layer.blobDigest) of layer \(position) "
                        + "is not in the content store")
            }
            let size = try content.size(of: layer.blobDigest)
            guard size == layer.size else {
                throw CoveError(
                    .invalidInput,
                    "cannot register image \(image): the blob \(layer.blobDigest) of layer \(position) is \(size) "
                        + "bytes, not the \(layer.size) given")
            }
        }
    }

    /// Sets `reference` to name `image`, replacing what it named before.
    static func point(_ reference: ImageReference, at image: Digest, now: Date, in db: Database) throws {
        let key = reference.string
        if let existing = try ImageReferenceRecord.fetchOne(db, key: key), existing.imageID == image { return }
        try ImageReferenceRecord(reference: key, imageID: image, createdAt: now).upsert(db)
    }

    /// The image, its references and its layers, read in the caller's transaction.
    static func stored(_ id: Digest, in db: Database) throws -> StoredImage {
        guard let image = try ImageRecord.fetchOne(db, key: id) else {
            throw CoveError(.notFound, "No such image: \(id)")
        }
        let references = try ImageReferenceRecord.filter(ImageReferenceRecord.CodingKeys.imageID == id)
            .order(ImageReferenceRecord.CodingKeys.reference).fetchAll(db).map(\.reference)
        let layers = try ImageLayerRecord.filter(ImageLayerRecord.CodingKeys.imageID == id)
            .order(ImageLayerRecord.CodingKeys.position).fetchAll(db)
        return StoredImage(image: image, references: references, layers: layers)
    }
}
