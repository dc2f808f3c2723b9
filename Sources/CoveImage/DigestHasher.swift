import CoveCore
import Crypto
import Foundation

/// Computes a sha256 `Digest` over bytes fed in pieces (Crypto's SHA256, streaming).
public struct DigestHasher {
    private var hasher = SHA256()

    public init() {}

    /// Adds the next bytes.
    public mutating func update(_ bytes: some DataProtocol) {
        hasher.update(data: bytes)
    }

    /// The digest of everything added so far.
    public func finalize() -> CoveCore.Digest {
        CoveCore.Digest(sha256Bytes: hasher.finalize())
    }
}

extension CoveCore.Digest {
    /// The sha256 digest of `bytes`.
    public static func sha256(of bytes: some DataProtocol) -> CoveCore.Digest {
        var hasher = DigestHasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
