import CoveCore
import Foundation

/// What `docker save` writes for a set of images, as Docker 25 and later write it: an OCI image
/// layout (`oci-layout`, `index.json`, `blobs/sha256/…`) that is also a classic `docker save`
/// archive (`manifest.json` with `Config`, `RepoTags` and `Layers` pointing into `blobs/`), so
/// both `docker load` of any version and OCI tools read it.
public struct ImageSavePlan: Sendable {
    /// One image to save.
    public struct Image: Sendable {
        public var manifestDigest: Digest
        public var manifestMediaType: String
        public var manifestSize: Int64
        public var configDigest: Digest
        public var layerDigests: [Digest]
        /// The tags to record (a tag named in the request, or all the image's tags when it was
        /// asked for by id, as Docker does).
        public var tags: [ImageReference]

        public init(
            manifestDigest: Digest, manifestMediaType: String, manifestSize: Int64, configDigest: Digest,
            layerDigests: [Digest], tags: [ImageReference]
        ) {
            self.manifestDigest = manifestDigest
            self.manifestMediaType = manifestMediaType
            self.manifestSize = manifestSize
            self.configDigest = configDigest
            self.layerDigests = layerDigests
            self.tags = tags
        }
    }

    /// The blobs to write, each once, in a stable order: per image, its layers, config and manifest.
    public var blobs: [Digest]
    /// The small documents to write at the archive's root, by name, in the order to write them.
    public var documents: [(name: String, data: Data)]

    /// The path of a blob in the archive.
    public static func path(of digest: Digest) -> String { "blobs/\(digest.algorithm)/\(digest.hex)" }

    public init(images: [Image]) throws(CoveError) {
        var blobs: [Digest] = []
        var seen: Set<Digest> = []
        var index: [Descriptor] = []
        var entries: [DockerSaveEntry] = []
        for image in images {
            for digest in image.layerDigests + [image.configDigest, image.manifestDigest]
            where seen.insert(digest).inserted {
                blobs.append(digest)
            }
            let names = image.tags.isEmpty ? [nil] : image.tags.map(Optional.some)
            for name in names {
                var annotations: [String: String]?
                if let name {
                    annotations = [Annotation.containerdImageName: name.string]
                    if let tag = name.tag { annotations?[Annotation.refName] = tag }
                }
                index.append(
                    Descriptor(
                        mediaType: image.manifestMediaType, digest: image.manifestDigest, size: image.manifestSize,
                        annotations: annotations))
            }
            entries.append(
                DockerSaveEntry(
                    config: Self.path(of: image.configDigest), repoTags: image.tags.map(\.familiar),
                    layers: image.layerDigests.map(Self.path(of:))))
        }
        self.blobs = blobs
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let manifestJSON: Data
        do {
            manifestJSON = try encoder.encode(entries)
        } catch {
            throw CoveError(.internalError, "cannot encode manifest.json", cause: "\(error)")
        }
        documents = [
            ("oci-layout", Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8)),
            ("index.json", try OCIJSON.encode(ImageIndex(manifests: index))),
            ("manifest.json", manifestJSON),
        ]
    }
}
