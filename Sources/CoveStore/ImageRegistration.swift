import CoveCore
import CoveImage
import Foundation

/// Everything needed to register an image whose blobs are already in the content store.
///
/// The id is the digest of the config blob; `manifestDigest` names the manifest blob; each layer
/// names its blob. `ImageRepository.register` checks that all of these blobs exist before it
/// writes anything.
public struct ImageRegistration: Hashable, Sendable {
    /// One layer: its blob as stored and the digest of its uncompressed tar.
    public struct Layer: Hashable, Sendable {
        /// The digest of the uncompressed tar (`rootfs.diff_ids`).
        public var diffID: Digest
        /// The digest of the stored blob.
        public var blobDigest: Digest
        /// The blob's media type.
        public var mediaType: String
        /// The blob's size in bytes.
        public var size: Int64

        public init(diffID: Digest, blobDigest: Digest, mediaType: String, size: Int64) {
            self.diffID = diffID
            self.blobDigest = blobDigest
            self.mediaType = mediaType
            self.size = size
        }
    }

    /// The image id: the digest of the config blob.
    public var id: Digest
    /// The digest of the manifest blob.
    public var manifestDigest: Digest
    /// The manifest's media type.
    public var manifestMediaType: String
    /// When the image was built (the config's `created`).
    public var created: Date?
    /// The size to report for the image, in bytes.
    public var size: Int64
    /// The layers, base first.
    public var layers: [Layer]
    /// References to point at the image (a reference naming another image is moved here, as
    /// `docker load` and `docker pull` do). A reference without tag or digest gets `latest`.
    public var references: [ImageReference]

    public init(
        id: Digest, manifestDigest: Digest, manifestMediaType: String, created: Date?, size: Int64,
        layers: [Layer], references: [ImageReference] = []
    ) {
        self.id = id
        self.manifestDigest = manifestDigest
        self.manifestMediaType = manifestMediaType
        self.created = created
        self.size = size
        self.layers = layers
        self.references = references
    }

    /// The image's layer rows.
    func layerRecords() -> [ImageLayerRecord] {
        layers.enumerated().map { position, layer in
            ImageLayerRecord(
                imageID: id, position: position, diffID: layer.diffID, blobDigest: layer.blobDigest,
                mediaType: layer.mediaType, size: layer.size)
        }
    }

    /// Refuses values no image can have.
    func validate() throws(CoveError) {
        guard size >= 0 else {
            throw CoveError(.invalidInput, "image \(id): invalid size \(size)")
        }
        for (position, layer) in layers.enumerated() where layer.size < 0 {
            throw CoveError(.invalidInput, "image \(id): layer \(position) has an invalid size \(layer.size)")
        }
    }
}

extension ImageRegistration {
    /// The registration of the image a manifest and its config describe, as a pull or a load has
    /// them. The size defaults to the sum of the layer blobs. Fails when the config does not list
    /// one diff id per manifest layer.
    public init(
        manifest: ImageManifest, manifestDigest: Digest, config: ImageConfig, size: Int64? = nil,
        references: [ImageReference] = []
    ) throws(CoveError) {
        let diffIDs = config.rootfs.diffIDs
        guard diffIDs.count == manifest.layers.count else {
            throw CoveError(
                .invalidInput,
                "image \(manifest.config.digest): the manifest \(manifestDigest) has \(manifest.layers.count) "
                    + "layers but the config lists \(diffIDs.count) diff ids")
        }
        let layers = zip(manifest.layers, diffIDs).map { descriptor, diffID in
            Layer(diffID: diffID, blobDigest: descriptor.digest, mediaType: descriptor.mediaType, size: descriptor.size)
        }
        self.init(
            id: manifest.config.digest, manifestDigest: manifestDigest,
            manifestMediaType: manifest.mediaType ?? MediaType.ociManifest,
            created: config.created.flatMap(ImageRegistration.parseTimestamp),
            size: size ?? layers.reduce(0) { $0 + $1.size }, layers: layers, references: references)
    }

    /// An RFC 3339 timestamp as images carry them (`2024-01-02T03:04:05.123456789Z`), or nil. The
    /// fraction is cut to milliseconds, which is all Foundation's parser takes.
    static func parseTimestamp(_ text: String) -> Date? {
        var text = text
        if let dot = text.firstIndex(of: "."),
            let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
        {
            let fraction = text[text.index(after: dot)..<zone].prefix(3)
            text = String(text[..<dot]) + (fraction.isEmpty ? "" : "." + fraction) + String(text[zone...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
