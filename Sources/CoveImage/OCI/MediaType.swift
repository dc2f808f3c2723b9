/// The media types of OCI and Docker image content.
///
/// Docker's v2 schema 2 types and the OCI types describe the same shapes: a manifest (config plus
/// layers), an index or manifest list (one manifest per platform), an image config, and layers.
public enum MediaType {
    /// An OCI image manifest.
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    /// An OCI image index.
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    /// An OCI image config.
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    /// An uncompressed OCI layer.
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    /// A gzip-compressed OCI layer.
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    /// A zstd-compressed OCI layer.
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    /// A non-distributable OCI layer (deprecated by OCI 1.1), uncompressed.
    public static let ociNondistributableLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    /// A non-distributable OCI layer (deprecated by OCI 1.1), gzip-compressed.
    public static let ociNondistributableLayerGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    /// The OCI empty descriptor's content, `{}`.
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"

    /// A Docker v2 schema 2 image manifest.
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// A Docker v2 manifest list.
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// A Docker image config.
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    /// A gzip-compressed Docker layer.
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// A Docker foreign layer (fetched from its `urls`, e.g. Windows base layers).
    public static let dockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    /// A Docker v2 schema 1 manifest, which Cove does not support.
    public static let dockerManifestSchema1 = "application/vnd.docker.distribution.manifest.v1+json"
    /// A signed Docker v2 schema 1 manifest, which Cove does not support.
    public static let dockerManifestSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// The media type of in-toto attestations that BuildKit attaches to images.
    public static let inToto = "application/vnd.in-toto+json"

    /// The types of single-platform image manifests.
    public static let manifests: Set<String> = [ociManifest, dockerManifest]
    /// The types of multi-platform indexes.
    public static let indexes: Set<String> = [ociIndex, dockerManifestList]
    /// The types of image configs.
    public static let configs: Set<String> = [ociConfig, dockerConfig]
    /// The types of image layers Cove can unpack.
    public static let layers: Set<String> = [
        ociLayer, ociLayerGzip, ociLayerZstd, ociNondistributableLayer, ociNondistributableLayerGzip,
        dockerLayerGzip, dockerForeignLayerGzip,
    ]

    /// True for a single-platform manifest type.
    public static func isManifest(_ type: String) -> Bool { manifests.contains(type) }
    /// True for an index or manifest list type.
    public static func isIndex(_ type: String) -> Bool { indexes.contains(type) }
    /// True for an image config type.
    public static func isConfig(_ type: String) -> Bool { configs.contains(type) }
    /// True for an image layer type.
    public static func isLayer(_ type: String) -> Bool { layers.contains(type) }
}
