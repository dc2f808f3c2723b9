import CoveCore

/// A content descriptor: what a piece of content is (`mediaType`), its `digest` and `size`,
/// and optionally where else to fetch it, its annotations and the platform it is for.
///
/// The same shape is used by OCI and Docker manifests, indexes and manifest lists.
public struct Descriptor: Hashable, Sendable, Codable {
    public var mediaType: String
    public var digest: Digest
    /// The size of the content in bytes; never negative.
    public var size: Int64
    /// Other places the content may be fetched from (foreign layers).
    public var urls: [String]?
    public var annotations: [String: String]?
    /// The platform of the manifest this descriptor points to, in an index.
    public var platform: Platform?
    /// The type of an artifact, when the descriptor points to one.
    public var artifactType: String?
    /// The content itself, base64-encoded, when it is embedded.
    public var data: String?

    public init(
        mediaType: String, digest: Digest, size: Int64, urls: [String]? = nil,
        annotations: [String: String]? = nil, platform: Platform? = nil, artifactType: String? = nil,
        data: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.platform = platform
        self.artifactType = artifactType
        self.data = data
    }

    private enum CodingKeys: String, CodingKey {
        case mediaType, digest, size, urls, annotations, platform, artifactType, data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mediaType = try container.decode(String.self, forKey: .mediaType)
        digest = try container.decode(Digest.self, forKey: .digest)
        size = try container.decode(Int64.self, forKey: .size)
        guard size >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .size, in: container, debugDescription: "the size must not be negative, it is \(size)")
        }
        urls = try container.decodeIfPresent([String].self, forKey: .urls)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        platform = try container.decodeIfPresent(Platform.self, forKey: .platform)
        artifactType = try container.decodeIfPresent(String.self, forKey: .artifactType)
        data = try container.decodeIfPresent(String.self, forKey: .data)
    }
}

/// Well-known annotation keys.
public enum Annotation {
    /// The tag or name of an image in an OCI layout's index.
    public static let refName = "org.opencontainers.image.ref.name"
    /// The creation time of an image.
    public static let created = "org.opencontainers.image.created"
    /// BuildKit's marker of attestation manifests inside an image index.
    public static let dockerReferenceType = "vnd.docker.reference.type"
    /// The digest of the image manifest an attestation manifest refers to.
    public static let dockerReferenceDigest = "vnd.docker.reference.digest"
    /// containerd's annotation naming the full reference of an image in an archive.
    public static let containerdImageName = "io.containerd.image.name"
}
