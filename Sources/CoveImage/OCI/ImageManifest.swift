/// A single-platform image manifest: the config blob and the layers, base layer first.
///
/// One type serves both the OCI image manifest and Docker's v2 schema 2 manifest, which have the
/// same shape; `mediaType` tells them apart (OCI manifests may leave it out).
public struct ImageManifest: Hashable, Sendable, Codable {
    /// Always 2.
    public var schemaVersion: Int
    public var mediaType: String?
    /// The artifact type, for OCI artifacts.
    public var artifactType: String?
    /// The image config.
    public var config: Descriptor
    /// The layers, from the base up.
    public var layers: [Descriptor]
    /// The manifest this one refers to (signatures, attestations).
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        mediaType: String? = MediaType.ociManifest, config: Descriptor, layers: [Descriptor],
        artifactType: String? = nil, subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        schemaVersion = 2
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }

    /// True for Docker's v2 schema 2 media type.
    public var isDocker: Bool { mediaType == MediaType.dockerManifest }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, mediaType, artifactType, config, layers, subject, annotations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        try SchemaCheck.version(schemaVersion, key: .schemaVersion, in: container)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
        if let mediaType, !MediaType.isManifest(mediaType) {
            throw DecodingError.dataCorruptedError(
                forKey: .mediaType, in: container,
                debugDescription: "expected an image manifest, found media type \(String(reflecting: mediaType))")
        }
        artifactType = try container.decodeIfPresent(String.self, forKey: .artifactType)
        config = try container.decode(Descriptor.self, forKey: .config)
        layers = try container.decode([Descriptor].self, forKey: .layers)
        subject = try container.decodeIfPresent(Descriptor.self, forKey: .subject)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
    }
}

/// The `schemaVersion` check shared by manifests and indexes.
enum SchemaCheck {
    static func version<Key: CodingKey>(_ version: Int, key: Key, in container: KeyedDecodingContainer<Key>) throws {
        guard version == 2 else {
            let hint = version == 1 ? " (Docker schema 1 manifests are not supported)" : ""
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "unsupported schemaVersion \(version)\(hint)")
        }
    }
}
