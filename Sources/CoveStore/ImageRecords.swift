import CoveCore
import CoveImage
import Foundation
import GRDB

/// One image in the state database: a row of `images`.
///
/// The id is the digest of the image's config blob, as in Docker; the config and the manifest are
/// blobs in the content store, named by `id` and `manifestDigest`.
public struct ImageRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "images"

    /// The image id: the digest of its config blob.
    public var id: Digest
    /// The digest of the manifest blob that lists the config and the layers.
    public var manifestDigest: Digest
    /// The manifest's media type (OCI or Docker v2 schema 2).
    public var manifestMediaType: String
    /// When the image was built, from its config; nil when the config does not say.
    public var created: Date?
    /// The size Docker reports for the image, in bytes.
    public var size: Int64
    /// When this engine registered the image.
    public var registeredAt: Date

    public init(
        id: Digest, manifestDigest: Digest, manifestMediaType: String, created: Date?, size: Int64,
        registeredAt: Date
    ) {
        self.id = id
        self.manifestDigest = manifestDigest
        self.manifestMediaType = manifestMediaType
        self.created = created
        self.size = size
        self.registeredAt = registeredAt
    }

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case manifestDigest = "manifest_digest"
        case manifestMediaType = "manifest_media_type"
        case created
        case size
        case registeredAt = "registered_at"
    }
}

/// A reference that names an image: a row of `image_references`. The reference is stored fully
/// qualified (`docker.io/library/busybox:latest`, or `…@sha256:…` for a digest reference).
public struct ImageReferenceRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "image_references"

    /// The fully qualified reference string.
    public var reference: String
    /// The image it names.
    public var imageID: Digest
    /// When the reference was set to this image.
    public var createdAt: Date

    public init(reference: String, imageID: Digest, createdAt: Date) {
        self.reference = reference
        self.imageID = imageID
        self.createdAt = createdAt
    }

    /// The parsed reference; nil only if the row was not written by Cove.
    public var parsed: ImageReference? { try? ImageReference(parsing: reference) }

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case reference
        case imageID = "image_id"
        case createdAt = "created_at"
    }
}

/// One layer of an image, in order: a row of `image_layers`.
public struct ImageLayerRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "image_layers"

    /// The image the layer belongs to.
    public var imageID: Digest
    /// The layer's index in the image, from 0 (the base layer).
    public var position: Int
    /// The digest of the uncompressed layer tar (the config's `rootfs.diff_ids` entry).
    public var diffID: Digest
    /// The digest of the layer blob as stored (possibly compressed).
    public var blobDigest: Digest
    /// The blob's media type.
    public var mediaType: String
    /// The blob's size in bytes.
    public var size: Int64

    public init(imageID: Digest, position: Int, diffID: Digest, blobDigest: Digest, mediaType: String, size: Int64) {
        self.imageID = imageID
        self.position = position
        self.diffID = diffID
        self.blobDigest = blobDigest
        self.mediaType = mediaType
        self.size = size
    }

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case imageID = "image_id"
        case position
        case diffID = "diff_id"
        case blobDigest = "blob_digest"
        case mediaType = "media_type"
        case size
    }
}

/// An image with its references and layers, as the repository returns it.
public struct StoredImage: Hashable, Sendable {
    /// The image row.
    public var image: ImageRecord
    /// The references naming it, sorted.
    public var references: [String]
    /// Its layers, base first.
    public var layers: [ImageLayerRecord]

    /// The image id.
    public var id: Digest { image.id }

    /// `name:tag` references, as Docker's `RepoTags`, in familiar form (`busybox:latest`).
    public var repoTags: [String] {
        references.compactMap { try? ImageReference(parsing: $0) }.filter { $0.digest == nil }.map(\.familiar)
    }

    /// `name@digest` references, as Docker's `RepoDigests`, in familiar form.
    public var repoDigests: [String] {
        references.compactMap { try? ImageReference(parsing: $0) }.filter { $0.digest != nil }.map(\.familiar)
    }

    /// Every blob the image needs: manifest, config, then layers.
    public var blobs: [Digest] { [image.manifestDigest, image.id] + layers.map(\.blobDigest) }
}
