import CoveCore
import CoveImage
import CoveStore
import Foundation

/// A state store, a content store and an image repository in a fresh temporary directory.
struct StoreFixture {
    let root: URL
    let state: StateStore
    let content: ContentStore
    let images: ImageRepository

    init(root: URL? = nil) throws {
        let root =
            root
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "cove-store-\(UUID().uuidString)", isDirectory: true)
        self.root = root
        state = try StateStore(root: root)
        content = try ContentStore(root: root.appendingPathComponent("content", isDirectory: true))
        images = ImageRepository(state: state, content: content)
    }

    /// Runs `body` with a fresh fixture, then removes its directory.
    static func with<T>(_ body: (StoreFixture) throws -> T) throws -> T {
        let fixture = try StoreFixture()
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        return try body(fixture)
    }

    /// The blobs of a small image, unique per `seed`: `layers` layers, an OCI config and manifest.
    /// With `store` false nothing is written, so the blobs are missing.
    func makeImage(seed: Int, layers: Int = 2, references: [String] = [], store: Bool = true) throws
        -> ImageRegistration
    {
        var descriptors: [Descriptor] = []
        var diffIDs: [Digest] = []
        for index in 0..<layers {
            let bytes = Data("layer \(index) of image \(seed)\n".utf8)
            let digest = Digest.sha256(of: bytes)
            if store { try content.write(bytes, expected: digest) }
            descriptors.append(Descriptor(mediaType: MediaType.ociLayer, digest: digest, size: Int64(bytes.count)))
            diffIDs.append(digest)
        }
        let config = ImageConfig(
            architecture: "amd64", os: "linux",
            config: ContainerConfig(labels: ["seed": "\(seed)"]),
            rootfs: RootFS(diffIDs: diffIDs), created: "2024-01-02T03:04:05.123456789Z")
        let configBytes = try OCIJSON.encode(config)
        let configDigest = Digest.sha256(of: configBytes)
        if store { try content.write(configBytes, expected: configDigest) }
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configBytes.count)),
            layers: descriptors)
        let manifestBytes = try OCIJSON.encode(manifest)
        let manifestDigest = Digest.sha256(of: manifestBytes)
        if store { try content.write(manifestBytes, expected: manifestDigest) }
        return try ImageRegistration(
            manifest: manifest, manifestDigest: manifestDigest, config: config,
            references: references.map { text in try ImageReference(parsing: text) })
    }
}
