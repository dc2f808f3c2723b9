import CoveCore
import Foundation

/// One image found in an archive, ready to be registered.
public struct ArchivedImage: Hashable, Sendable {
    /// The image's manifest.
    public var manifest: ImageManifest
    /// The stored manifest blob; nil when the manifest was made from the legacy `manifest.json`
    /// and still has to be written.
    public var manifestDigest: Digest?
    /// The image's config.
    public var config: ImageConfig
    /// The names the archive gives the image.
    public var references: [ImageReference]
}

/// Interprets what an image archive held (`ImageArchiveContents`) as images, as `docker load`
/// does: a `manifest.json` (the `docker save` format, legacy or OCI-based) names configs, layers
/// and tags; without one, an OCI layout's `index.json` names manifests (or indexes, of which the
/// manifest for `platform` is taken) and their names come from the `io.containerd.image.name` or
/// `org.opencontainers.image.ref.name` annotations.
public struct ImageArchivePlanner {
    /// Reads a small stored blob (a config, a manifest, an index).
    public typealias ReadBlob = (Digest) throws(CoveError) -> Data
    /// The media type and size of a stored layer blob (its compression is seen in its first bytes).
    public typealias DescribeLayer = (Digest) throws(CoveError) -> (mediaType: String, size: Int64)

    public var contents: ImageArchiveContents
    public var platform: Platform

    public init(contents: ImageArchiveContents, platform: Platform) {
        self.contents = contents
        self.platform = platform
    }

    /// The images, in the archive's order; an image named by several entries appears once.
    public func images(read: ReadBlob, describeLayer: DescribeLayer) throws(CoveError) -> [ArchivedImage] {
        let found: [ArchivedImage]
        if let manifestJSON = contents.documents["manifest.json"] {
            found = try dockerSaveImages(manifestJSON, read: read, describeLayer: describeLayer)
        } else if let indexJSON = contents.documents["index.json"] {
            found = try layoutImages(indexJSON, read: read)
        } else {
            throw CoveError(
                .invalidInput, "not an image archive: it has neither a manifest.json nor an index.json at its root")
        }
        var merged: [ArchivedImage] = []
        for image in found {
            if let index = merged.firstIndex(where: { $0.config == image.config && $0.manifest == image.manifest }) {
                merged[index].references += image.references.filter { !merged[index].references.contains($0) }
            } else {
                merged.append(image)
            }
        }
        return merged
    }

    private func dockerSaveImages(_ json: Data, read: ReadBlob, describeLayer: DescribeLayer) throws(CoveError)
        -> [ArchivedImage]
    {
        let entries = try OCIJSON.decode([DockerSaveEntry].self, from: json, document: "manifest.json")
        let layoutManifests = try layoutManifestsByConfig(read: read)
        return try entries.map { entry throws(CoveError) in
            guard let configDigest = contents.blob(at: entry.config) else {
                throw CoveError(
                    .invalidInput, "manifest.json names the config \(entry.config), which is not in the archive")
            }
            let configData = try read(configDigest)
            let config = try OCIJSON.decode(
                ImageConfig.self, from: configData, document: "image config \(entry.config)")
            var layers: [Descriptor] = []
            for (position, path) in entry.layers.enumerated() {
                guard let digest = contents.blob(at: path) else {
                    throw CoveError(.invalidInput, "manifest.json names the layer \(path), which is not in the archive")
                }
                let (mediaType, size) = try describeLayer(digest)
                if mediaType == MediaType.ociLayer, position < config.rootfs.diffIDs.count,
                    config.rootfs.diffIDs[position] != digest
                {
                    throw CoveError(
                        .invalidInput,
                        "layer \(path) is \(digest), but the config's diff id \(position) is "
                            + "\(config.rootfs.diffIDs[position])")
                }
                layers.append(Descriptor(mediaType: mediaType, digest: digest, size: size))
            }
            let references = try (entry.repoTags ?? []).map { tag throws(CoveError) in
                try ImageReference(parsing: tag)
            }
            if let (digest, manifest) = layoutManifests[configDigest],
                manifest.layers.map(\.digest) == layers.map(\.digest)
            {
                return ArchivedImage(manifest: manifest, manifestDigest: digest, config: config, references: references)
            }
            let manifest = ImageManifest(
                config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configData.count)),
                layers: layers)
            return ArchivedImage(manifest: manifest, manifestDigest: nil, config: config, references: references)
        }
    }

    /// The manifests an OCI `index.json` beside `manifest.json` holds, by config, so that an image
    /// keeps its original manifest (and so its digest).
    private func layoutManifestsByConfig(read: ReadBlob) throws(CoveError) -> [Digest: (Digest, ImageManifest)] {
        guard let indexJSON = contents.documents["index.json"] else { return [:] }
        var found: [Digest: (Digest, ImageManifest)] = [:]
        for image in (try? layoutImages(indexJSON, read: read)) ?? [] {
            if let digest = image.manifestDigest { found[image.manifest.config.digest] = (digest, image.manifest) }
        }
        return found
    }

    private func layoutImages(_ json: Data, read: ReadBlob) throws(CoveError) -> [ArchivedImage] {
        let index = try OCIJSON.decode(ImageIndex.self, from: json, document: "index.json")
        var images: [ArchivedImage] = []
        for descriptor in index.manifests where !descriptor.isAttestation {
            var manifestDescriptor = descriptor
            if MediaType.isIndex(descriptor.mediaType) {
                let nested = try OCIJSON.decode(
                    ImageIndex.self, from: try read(descriptor.digest), document: "image index \(descriptor.digest)")
                manifestDescriptor = try nested.manifest(for: platform)
            } else if !MediaType.isManifest(descriptor.mediaType) {
                continue
            }
            let manifest = try OCIJSON.decode(
                ImageManifest.self, from: try read(manifestDescriptor.digest),
                document: "image manifest \(manifestDescriptor.digest)")
            let config = try OCIJSON.decode(
                ImageConfig.self, from: try read(manifest.config.digest),
                document: "image config \(manifest.config.digest)")
            images.append(
                ArchivedImage(
                    manifest: manifest, manifestDigest: manifestDescriptor.digest, config: config,
                    references: Self.names(in: descriptor.annotations ?? [:])))
        }
        return images
    }

    /// The name an index entry's annotations give: containerd's full name, else an OCI ref name
    /// that is a whole reference (a bare tag such as `latest` names nothing by itself).
    static func names(in annotations: [String: String]) -> [ImageReference] {
        if let name = annotations[Annotation.containerdImageName], let reference = try? ImageReference(parsing: name) {
            return [reference]
        }
        if let name = annotations[Annotation.refName], name.contains(":") || name.contains("/"),
            let reference = try? ImageReference(parsing: name)
        {
            return [reference]
        }
        return []
    }
}
