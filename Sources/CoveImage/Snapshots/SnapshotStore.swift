import CoveCore
import CoveLinux
import Foundation

/// Unpacked image layers, one directory per layer chain: `<root>/<chain id hex>/fs`.
///
/// Each snapshot holds one layer's changes in overlayfs's format (see `LayerUnpacker`) and is
/// one overlayfs lower directory; an image's root is its snapshots stacked (`mount`). A layer
/// shared by several images (the same chain id) is unpacked once and never changed afterwards.
///
/// Unpacking goes to `<root>/ingest/<chain id hex>.<random>` and is renamed into place only
/// after both digests checked out, so a rejected layer leaves nothing behind. Each chain id has
/// a lock file (`<root>/locks/<hex>.lock`, `flock`): whoever holds it checks whether the snapshot
/// exists and unpacks it if not, so concurrent pulls, in one process or several, unpack a
/// shared layer once. Unpacking keeps owners and makes whiteout devices, so it needs root.
public final class SnapshotStore: Sendable {
    /// The store's directory (`<daemon root>/snapshots`).
    public let root: String
    /// Bounds on each layer: decompressed bytes, entries, name length.
    public let limits: ArchiveReader.Limits
    private let ingestDirectory: String
    private let lockDirectory: String

    /// Opens the store at `root`, creating its directories when needed.
    public init(root: String, limits: ArchiveReader.Limits = SnapshotStore.standardLimits) throws(CoveError) {
        self.root = root
        self.limits = limits
        ingestDirectory = root + "/ingest"
        lockDirectory = root + "/locks"
        for directory in [root, ingestDirectory, lockDirectory] {
            try Directory.create(directory, mode: 0o700)
        }
    }

    /// 32 GiB of decompressed data, a million entries and 4096-byte names per layer.
    public static let standardLimits = ArchiveReader.Limits(
        maximumBytes: 32 << 30, maximumEntries: 1_000_000, maximumNameLength: 4096)

    /// The directory of the snapshot named `chainID` (which may not exist).
    public func path(for chainID: Digest) -> String { "\(root)/\(chainID.hex)/fs" }

    /// True when the snapshot named `chainID` is unpacked.
    public func contains(_ chainID: Digest) -> Bool {
        FileManager.default.fileExists(atPath: path(for: chainID))
    }

    /// The chain ids of the snapshots in the store (unfinished unpacks left aside).
    public func list() throws(CoveError) -> [Digest] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root)
        } catch {
            throw CoveError(.io, "cannot list the snapshots in \(root)", cause: "\(error)")
        }
        return names.compactMap { name in try? Digest(sha256Hex: name) }.filter(contains).sorted { $0.hex < $1.hex }
    }

    /// Unpacks the layers of an image that are not unpacked yet, base layer first, and returns
    /// the image's snapshots (base first). The layer blobs must be in `content`.
    ///
    /// Each layer's compressed digest and size are checked against `manifest.layers`, its
    /// uncompressed digest against `config.rootfs.diffIDs`.
    public func prepare(
        manifest: ImageManifest, config: ImageConfig, content: ContentStore
    ) async throws(CoveError) -> [Snapshot] {
        let diffIDs = config.rootfs.diffIDs
        guard diffIDs.count == manifest.layers.count else {
            throw CoveError(
                .invalidInput,
                "the image has \(manifest.layers.count) layers but its config lists \(diffIDs.count) diff ids")
        }
        for layer in manifest.layers where !MediaType.isLayer(layer.mediaType) {
            throw CoveError(
                .invalidInput, "layer \(layer.digest) has media type \(layer.mediaType), which is not a layer")
        }
        let chain = ChainID.chain(diffIDs)
        var snapshots: [Snapshot] = []
        for (index, layer) in manifest.layers.enumerated() {
            let snapshot = try await prepare(
                layer: layer, diffID: diffIDs[index], chainID: chain[index], below: snapshots, content: content)
            snapshots.append(snapshot)
        }
        return snapshots
    }

    /// Unpacks one layer on top of `below` (the snapshots of the layers under it, base first)
    /// unless its snapshot exists.
    public func prepare(
        layer: Descriptor, diffID: Digest, chainID: Digest, below: [Snapshot], content: ContentStore
    ) async throws(CoveError) -> Snapshot {
        let lock = try await lock(chainID)
        defer { withExtendedLifetime(lock) {} }
        var snapshot = Snapshot(chainID: chainID, diffID: diffID, path: path(for: chainID), unpackedNow: false)
        if contains(chainID) { return snapshot }
        let lowers = below.reversed().map(\.path)
        let result: Result<Void, CoveError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(CoveError) {
                    try self.unpack(layer: layer, diffID: diffID, chainID: chainID, lowers: lowers, content: content)
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
        snapshot.unpackedNow = true
        return snapshot
    }

    /// Removes a snapshot; false when it was not there. The caller makes sure no image uses it.
    @discardableResult
    public func remove(_ chainID: Digest) async throws(CoveError) -> Bool {
        let lock = try await lock(chainID)
        defer { withExtendedLifetime(lock) {} }
        let directory = "\(root)/\(chainID.hex)"
        guard FileManager.default.fileExists(atPath: directory) else { return false }
        try removeTree(directory)
        return true
    }

    /// Deletes what interrupted unpacks left in `ingest/` (those whose chain is not locked now).
    @discardableResult
    public func removeStaleIngests() throws(CoveError) -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: ingestDirectory)) ?? [] {
            let hex = String(name.prefix(Digest.sha256HexLength))
            guard Digest.isSHA256Hex(hex), let lock = try FileLock.acquire(path: lockPath(hex)) else { continue }
            try withExtendedLifetime(lock) { () throws(CoveError) in try removeTree("\(ingestDirectory)/\(name)") }
            removed += 1
        }
        return removed
    }

    /// Mounts an image's snapshots (base first, as `prepare` returns them) as overlayfs at
    /// `target`, with `upper` and `work` (empty directories on the same filesystem) as its
    /// writable layer. See `OverlayMount` for the limit on the number of layers.
    public func mount(_ snapshots: [Snapshot], upper: String, work: String, target: String) throws(CoveError) {
        try OverlayMount.mount(
            lowerDirectories: snapshots.reversed().map(\.path), upperDirectory: upper, workDirectory: work,
            target: target)
    }

    // MARK: - Unpacking

    private func unpack(
        layer: Descriptor, diffID: Digest, chainID: Digest, lowers: [String], content: ContentStore
    ) throws(CoveError) {
        let ingest = "\(ingestDirectory)/\(chainID.hex).\(UUID().uuidString)"
        do throws(CoveError) {
            try Directory.create(ingest + "/fs", mode: 0o755)
            let file = try content.open(layer.digest)
            defer { try? file.close() }
            let stream = try LayerStream(file: file, descriptor: layer, diffID: diffID, limits: limits)
            let target = try RootedDirectory(path: ingest + "/fs")
            var lowerDirectories: [RootedDirectory] = []
            for lower in lowers { lowerDirectories.append(try RootedDirectory(path: lower)) }
            try LayerUnpacker(target: target, lowers: lowerDirectories).apply(stream.tar)
            try stream.finish()
            do {
                try FileManager.default.moveItem(atPath: ingest, toPath: "\(root)/\(chainID.hex)")
            } catch {
                throw CoveError(.io, "cannot move the snapshot of layer \(layer.digest) into place", cause: "\(error)")
            }
        } catch {
            try? removeTree(ingest)
            throw error
        }
    }

    // MARK: - Locking

    private func lockPath(_ hex: String) -> String { "\(lockDirectory)/\(hex).lock" }

    /// Waits for the chain's lock: `flock` on a file of its own, polled so that no thread blocks.
    private func lock(_ chainID: Digest) async throws(CoveError) -> FileLock {
        while true {
            if let lock = try FileLock.acquire(path: lockPath(chainID.hex)) { return lock }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                throw CoveError(.io, "cancelled while waiting to unpack layer chain \(chainID)")
            }
        }
    }

    private func removeTree(_ path: String) throws(CoveError) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            if FileManager.default.fileExists(atPath: path) {
                throw CoveError(.io, "cannot remove \(path)", cause: "\(error)")
            }
        }
    }
}
