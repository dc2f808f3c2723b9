import CoveCore
import CoveImage
import CoveStore

extension ImageSnapshots {
    /// The snapshots of a registered image, base first, unpacking those that are missing: a
    /// container's root is mounted from them.
    public func prepare(_ image: StoredImage) async throws(CoveError) -> [Snapshot] {
        let layers = image.layers.sorted { $0.position < $1.position }
        let chain = ChainID.chain(layers.map(\.diffID))
        var snapshots: [Snapshot] = []
        for (index, layer) in layers.enumerated() {
            let descriptor = Descriptor(mediaType: layer.mediaType, digest: layer.blobDigest, size: layer.size)
            snapshots.append(
                try await store.prepare(
                    layer: descriptor, diffID: layer.diffID, chainID: chain[index], below: snapshots,
                    content: repository.content))
        }
        return snapshots
    }
}
