/// A multi-platform image: one manifest descriptor per platform.
///
/// One type serves both the OCI image index and Docker's manifest list, which have the same shape.
/// An OCI image layout's `index.json` is also an index, whose entries name images through the
/// `org.opencontainers.image.ref.name` annotation. Choosing the manifest for a platform is
/// `manifest(for:)` (see `PlatformMatcher`).
public struct ImageIndex: Hashable, Sendable, Codable {
    /// Always 2.
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        mediaType: String? = MediaType.ociIndex, manifests: [Descriptor], artifactType: String? = nil,
        subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        schemaVersion = 2
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.manifests = manifests
        self.subject = subject
        self.annotations = annotations
    }

    /// True for Docker's manifest list media type.
    public var isDocker: Bool { mediaType == MediaType.dockerManifestList }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, mediaType, artifactType, manifests, subject, annotations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        try SchemaCheck.version(schemaVersion, key: .schemaVersion, in: container)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
        if let mediaType, !MediaType.isIndex(mediaType) {
            throw DecodingError.dataCorruptedError(
                forKey: .mediaType, in: container,
                debugDescription: "expected an image index, found media type \(String(reflecting: mediaType))")
        }
        artifactType = try container.decodeIfPresent(String.self, forKey: .artifactType)
        manifests = try container.decode([Descriptor].self, forKey: .manifests)
        subject = try container.decodeIfPresent(Descriptor.self, forKey: .subject)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
    }
}
