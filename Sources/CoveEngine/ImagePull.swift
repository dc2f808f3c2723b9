import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation
import Synchronization

/// One pull of an image from a registry into the engine's store, as `docker pull` does it.
///
/// `resolve` fetches what the reference names (an index is narrowed to the manifest for the
/// platform), so a missing image or refused credentials fail before any progress is sent. `run`
/// then fetches the config and the missing layers (a few at a time, each streamed into the content
/// store and checked against its digest), stores the manifest, lets the snapshot store unpack the
/// layers, and registers the image under the tag and its repo digest. Nothing is registered unless
/// every blob arrived whole; blobs already stored are not fetched again.
struct ImagePull: Sendable {
    let repository: ImageRepository
    let access: RegistryAccess
    let client: RegistryClient
    /// What to pull: a tag (`latest` by default) or a digest.
    let reference: ImageReference
    /// The platform wanted, and whether the user named it (then a single-platform image must match it).
    let platform: Platform
    let platformRequested: Bool
    let clock: @Sendable () -> Date

    /// The manifest to pull and the digest the reference resolved to.
    struct Resolved: Sendable {
        var manifest: ImageManifest
        var fetched: FetchedManifest
        /// The digest of what the tag names (the index, for a multi-platform image): the repo digest.
        var repoDigest: Digest
        /// True when the manifest was chosen from an index for the platform.
        var fromIndex: Bool
    }

    /// The tag or digest as the registry path takes it.
    private var tagOrDigest: String { reference.digest?.description ?? reference.tag ?? ImageReference.defaultTag }

    /// Fetches the manifest the reference names; for an index, the best one for the platform.
    func resolve() async throws(CoveError) -> Resolved {
        let top = try await client.manifest(repository: reference.path, reference: tagOrDigest)
        switch try top.decoded() {
        case .manifest(let manifest):
            return Resolved(manifest: manifest, fetched: top, repoDigest: top.digest, fromIndex: false)
        case .index(let index):
            let descriptor = try index.manifest(for: platform)
            let chosen = try await client.manifest(repository: reference.path, reference: descriptor.digest.description)
            guard case .manifest(let manifest) = try chosen.decoded() else {
                throw CoveError(
                    .invalidInput,
                    "the index of \(reference.familiar) names \(descriptor.digest) as a manifest, but it is an index")
            }
            return Resolved(manifest: manifest, fetched: chosen, repoDigest: top.digest, fromIndex: true)
        }
    }

    /// Downloads what is missing and registers the image; every step is reported to `progress`.
    func run(_ resolved: Resolved, progress: @escaping ProgressSink) async throws(CoveError) -> StoredImage {
        let content = repository.content
        progress(.status("Pulling from \(reference.path)", id: reference.digest == nil ? tagOrDigest : nil))
        let manifest = resolved.manifest
        let config = try await fetchConfig(manifest.config)
        if platformRequested, !resolved.fromIndex, !PlatformMatcher(platform).matches(config.platform) {
            throw CoveError(
                .invalidInput,
                "image with reference \(reference.familiar) was found but its platform (\(config.platform)) does not "
                    + "match the specified platform (\(platform))")
        }
        let registration = try ImageRegistration(
            manifest: manifest, manifestDigest: resolved.fetched.digest, config: config,
            references: references(repoDigest: resolved.repoDigest))
        var seen = Set<Digest>()
        let layers = manifest.layers.filter { seen.insert($0.digest).inserted }
        var missing: [Descriptor] = []
        for layer in layers {
            if content.contains(layer.digest) {
                progress(.status("Already exists", id: layer.digest.shortHex))
            } else {
                progress(.status("Pulling fs layer", id: layer.digest.shortHex))
                missing.append(layer)
            }
        }
        try await download(missing, progress: progress)
        try content.write(resolved.fetched.data, expected: resolved.fetched.digest)
        try await prepareSnapshots(for: registration, progress: progress)
        for layer in missing { progress(.status("Pull complete", id: layer.digest.shortHex)) }
        let before = try? repository.resolve(reference.withDefaultTag.string).id
        let image = try repository.register(registration, now: clock())
        progress(.status("Digest: \(resolved.repoDigest)"))
        let verb = before == image.id ? "Image is up to date for" : "Downloaded newer image for"
        progress(.status("Status: \(verb) \(reference.familiar)"))
        return image
    }

    /// The call site of layer unpacking: the snapshot store (`RegistryAccess.unpackLayers`) prepares
    /// the image's layer snapshots here, after every blob is stored and before the image is registered.
    private func prepareSnapshots(for registration: ImageRegistration, progress: @escaping ProgressSink)
        async throws(CoveError)
    {
        guard let unpack = access.unpackLayers else { return }
        do {
            try await unpack(registration, progress)
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.internalError, "cannot unpack the layers of \(reference.familiar)", cause: "\(error)")
        }
    }

    /// The tag (when the pull named one) and `name@repoDigest`, the references the image gets.
    private func references(repoDigest: Digest) -> [ImageReference] {
        var references: [ImageReference] = []
        if reference.digest == nil { references.append(reference.withDefaultTag) }
        references.append(reference.repository.withDigest(repoDigest))
        return references
    }

    /// The image config: from the store when it is there, else fetched (and kept).
    private func fetchConfig(_ descriptor: Descriptor) async throws(CoveError) -> ImageConfig {
        let content = repository.content
        if !content.contains(descriptor.digest) {
            guard descriptor.size <= 8 << 20 else {
                throw CoveError(
                    .invalidInput, "the image config \(descriptor.digest) is \(descriptor.size) bytes, too large")
            }
            _ = try await client.fetchBlob(repository: reference.path, descriptor: descriptor, into: content)
        }
        let data = try content.read(descriptor.digest, maximumSize: 8 << 20)
        return try OCIJSON.decode(ImageConfig.self, from: data, document: "image config \(descriptor.digest)")
    }

    /// Fetches `layers`, at most `maximumConcurrentDownloads` at a time; the first failure cancels the rest.
    private func download(_ layers: [Descriptor], progress: @escaping ProgressSink) async throws(CoveError) {
        let limit = access.maximumConcurrentDownloads
        for layer in layers.dropFirst(limit) { progress(.status("Waiting", id: layer.digest.shortHex)) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (position, layer) in layers.enumerated() {
                    if position >= limit { try await group.next() }
                    group.addTask { try await fetchLayer(layer, progress: progress) }
                }
                try await group.waitForAll()
            }
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.internalError, "the download of \(reference.familiar) failed", cause: "\(error)")
        }
    }

    private func fetchLayer(_ layer: Descriptor, progress: @escaping ProgressSink) async throws(CoveError) {
        let id = layer.digest.shortHex
        let throttle = ProgressThrottle(total: layer.size)
        _ = try await client.fetchBlob(repository: reference.path, descriptor: layer, into: repository.content) {
            current in
            guard throttle.shouldReport(current) else { return }
            progress(
                ProgressMessage(
                    status: "Downloading", id: id,
                    progressDetail: .init(current: current, total: layer.size)))
        }
        progress(.status("Verifying Checksum", id: id))
        progress(.status("Download complete", id: id))
    }
}

/// Decides when a transfer's progress is worth a line: every `step` bytes, and at the end.
final class ProgressThrottle: Sendable {
    private let total: Int64
    private let step: Int64
    private let reported = Mutex<Int64>(-1)

    init(total: Int64, step: Int64 = 512 << 10) {
        self.total = total
        self.step = step
    }

    func shouldReport(_ current: Int64) -> Bool {
        reported.withLock { last in
            guard last < 0 || current - last >= step || current == total else { return false }
            last = current
            return true
        }
    }
}
