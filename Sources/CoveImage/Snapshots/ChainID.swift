import CoveCore

/// The OCI chain id of a layer stack: what the stack's unpacked snapshot is named by.
///
/// `ChainID(L0) = DiffID(L0)` and `ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))`, over
/// the digests' `sha256:…` text (OCI image spec, config.md).
public enum ChainID {
    /// The chain id of every prefix of `diffIDs` (base layer first).
    public static func chain(_ diffIDs: [Digest]) -> [Digest] {
        var chain: [Digest] = []
        for diffID in diffIDs {
            guard let parent = chain.last else {
                chain.append(diffID)
                continue
            }
            chain.append(Digest.sha256(of: Array("\(parent) \(diffID)".utf8)))
        }
        return chain
    }
}

/// One unpacked layer: `path` is a directory holding that layer's changes alone, in overlayfs's
/// own format (whiteouts as 0/0 character devices, opaque directories marked with the
/// `trusted.overlay.opaque` xattr), usable as one overlayfs lower directory.
public struct Snapshot: Hashable, Sendable {
    /// The chain id of the stack this layer tops; the snapshot's name.
    public var chainID: Digest
    /// The digest of the layer's uncompressed tar stream.
    public var diffID: Digest
    /// The layer's directory (`<snapshots>/<chain id hex>/fs`).
    public var path: String
    /// True when this call unpacked it; false when it was already there (Docker's "Already exists").
    public var unpackedNow: Bool

    public init(chainID: Digest, diffID: Digest, path: String, unpackedNow: Bool) {
        self.chainID = chainID
        self.diffID = diffID
        self.path = path
        self.unpackedNow = unpackedNow
    }
}
