import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation

/// One push of a local image to a registry, as `docker push` does it.
///
/// Each blob (the layers and the config) is checked with `HEAD` first and skipped when the
/// repository has it. A missing blob that the store knows from another repository of the same
/// registry is mounted from there (`POST …/blobs/uploads/?mount=&from=`); the store knows it when an
/// image holding the blob has a reference in that repository, which every pull leaves (the tag and
/// the repo digest) and every push needs (the tag). Otherwise, or when the registry declines the
/// mount, the blob is uploaded whole in one `PUT`. The manifest goes last, byte for byte as stored,
/// so its digest is the image's.
struct ImagePush: Sendable {
    let repository: ImageRepository
    let access: RegistryAccess
    let client: RegistryClient
    /// The repository and tag to push.
    let target: ImageReference
    /// The local image the tag names.
    let image: StoredImage

    /// Pushes the blobs and the manifest; every step is reported to `progress`.
    func run(progress: @escaping ProgressSink) async throws(CoveError) {
        let tag = target.tag ?? ImageReference.defaultTag
        let content = repository.content
        let manifestData = try content.read(image.image.manifestDigest, maximumSize: 4 << 20)
        guard
            case .manifest(let manifest) = try ManifestContent.decode(
                manifestData, mediaType: image.image.manifestMediaType)
        else {
            throw CoveError(
                .internalError, "the manifest \(image.image.manifestDigest) of \(target.familiar) is an index")
        }
        var seen = Set<Digest>()
        let layers = manifest.layers.filter { seen.insert($0.digest).inserted }
        let sources = try mountSources(for: Set(layers.map(\.digest) + [manifest.config.digest]))
        for layer in layers { progress(.status("Preparing", id: layer.digest.shortHex)) }
        for layer in layers.dropFirst(access.maximumConcurrentUploads) {
            progress(.status("Waiting", id: layer.digest.shortHex))
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (position, layer) in layers.enumerated() {
                    if position >= access.maximumConcurrentUploads { try await group.next() }
                    group.addTask {
                        try await pushBlob(layer, source: sources[layer.digest], progress: progress, shown: true)
                    }
                }
                try await group.waitForAll()
            }
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.internalError, "the push of \(target.familiar) failed", cause: "\(error)")
        }
        try await pushBlob(manifest.config, source: sources[manifest.config.digest], progress: progress, shown: false)
        let digest = try await client.putManifest(
            repository: target.path, reference: tag, data: manifestData, mediaType: image.image.manifestMediaType)
        progress(.status("\(tag): digest: \(digest) size: \(manifestData.count)"))
        progress(
            ProgressMessage(
                progressDetail: .init(),
                aux: .init(tag: tag, digest: digest.description, size: manifestData.count)))
    }

    /// Sends one blob unless the repository has it: mounted from `source` when possible, else uploaded.
    private func pushBlob(_ descriptor: Descriptor, source: String?, progress: @escaping ProgressSink, shown: Bool)
        async throws(CoveError)
    {
        let id = descriptor.digest.shortHex
        let silent: ProgressSink = { _ in }
        let report = shown ? progress : silent
        if try await client.blobExists(repository: target.path, digest: descriptor.digest) {
            report(.status("Layer already exists", id: id))
            return
        }
        let location: String
        if let source {
            switch try await client.mountBlob(repository: target.path, digest: descriptor.digest, from: source) {
            case .mounted:
                report(.status("Mounted from \(source)", id: id))
                return
            case .uploadStarted(let started):
                location = started
            }
        } else {
            location = try await client.startUpload(repository: target.path)
        }
        let blob = StoredBlob(digest: descriptor.digest, size: try repository.content.size(of: descriptor.digest))
        let throttle = ProgressThrottle(total: blob.size)
        try await client.upload(blob, from: repository.content, to: location, repository: target.path) { sent in
            guard throttle.shouldReport(sent) else { return }
            report(ProgressMessage(status: "Pushing", id: id, progressDetail: .init(current: sent, total: blob.size)))
        }
        report(.status("Pushed", id: id))
    }

    /// For each blob, another repository of the target's registry that holds it, as the store's
    /// references show: the repository path of a reference naming an image that has the blob.
    private func mountSources(for blobs: Set<Digest>) throws(CoveError) -> [Digest: String] {
        var sources: [Digest: String] = [:]
        for stored in try repository.list() {
            let paths = stored.references.compactMap { try? ImageReference(parsing: $0) }
                .filter { $0.domain == target.domain && $0.path != target.path }.map(\.path).sorted()
            guard let path = paths.first else { continue }
            for blob in stored.blobs where blobs.contains(blob) && sources[blob] == nil { sources[blob] = path }
        }
        return sources
    }
}
