import CoveCore
import CoveImage
import CoveStore
import Foundation

/// The layer snapshots of the engine's images: unpacked when an image arrives (import, load, pull),
/// collected when no image needs them any more.
///
/// Snapshots are a cache of the layer blobs: a snapshot removed while an image that needs it is
/// being registered is unpacked again by the next `prepare`, so a collection racing an arrival
/// costs time, never correctness.
public struct ImageSnapshots: Sendable {
    public let store: SnapshotStore
    public let repository: ImageRepository

    public init(store: SnapshotStore, repository: ImageRepository) {
        self.store = store
        self.repository = repository
    }

    /// Unpacks the layers of an image about to be registered that are not unpacked yet.
    @discardableResult
    public func prepare(_ registration: ImageRegistration) async throws(CoveError) -> [Snapshot] {
        let diffIDs = registration.layers.map(\.diffID)
        let chain = ChainID.chain(diffIDs)
        var snapshots: [Snapshot] = []
        for (index, layer) in registration.layers.enumerated() {
            let descriptor = Descriptor(mediaType: layer.mediaType, digest: layer.blobDigest, size: layer.size)
            snapshots.append(
                try await store.prepare(
                    layer: descriptor, diffID: layer.diffID, chainID: chain[index], below: snapshots,
                    content: repository.content))
        }
        return snapshots
    }

    /// Removes the snapshots no registered image uses; returns their chain ids.
    @discardableResult
    public func collect() async throws(CoveError) -> [Digest] {
        var used: Set<Digest> = []
        for image in try repository.list() {
            used.formUnion(ChainID.chain(image.layers.sorted { $0.position < $1.position }.map(\.diffID)))
        }
        var removed: [Digest] = []
        for chainID in try store.list() where !used.contains(chainID) {
            if try await store.remove(chainID) { removed.append(chainID) }
        }
        return removed
    }
}
