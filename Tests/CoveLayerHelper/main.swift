// cove-layer-helper: a test and benchmark helper, not shipped. It stores an uncompressed layer tar
// in a content store and unpacks it into a snapshot store, both under `<root>`, then prints
// `unpacked <milliseconds>` when it unpacked the layer, or `exists <milliseconds>` when the
// snapshot was already there (or another process made it while this one waited for its lock).
// Only the unpack is timed. bench/bench.py times it against `tar -x`; SnapshotStoreTests runs two
// at once on one store to check that two processes unpack a shared layer once.
//
// Usage: cove-layer-helper <root> <layer.tar>
import CoveCore
import CoveImage
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: cove-layer-helper <root> <layer.tar>\n".utf8))
    exit(2)
}
do {
    let root = arguments[1]
    let content = try ContentStore(root: URL(fileURLWithPath: root + "/content"))
    let snapshots = try SnapshotStore(root: root + "/snapshots")
    let blob = try content.write(contentsOf: URL(fileURLWithPath: arguments[2]))
    let layer = Descriptor(mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size)
    let start = ContinuousClock.now
    let snapshot = try await snapshots.prepare(
        layer: layer, diffID: blob.digest, chainID: blob.digest, below: [], content: content)
    let elapsed = ContinuousClock.now - start
    let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    print("\(snapshot.unpackedNow ? "unpacked" : "exists") \(String(format: "%.1f", milliseconds))")
} catch {
    FileHandle.standardError.write(Data("cove-layer-helper: \(error)\n".utf8))
    exit(1)
}
