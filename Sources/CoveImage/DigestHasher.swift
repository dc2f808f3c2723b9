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
        let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(CoveCore.Digest.sha256HexLength)
        for byte in hasher.finalize() {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        // 64 lower-case hex digits always make a valid digest.
        guard let digest = try? CoveCore.Digest(sha256Hex: String(decoding: text, as: UTF8.self)) else {
            preconditionFailure("sha256 produced \(text.count) hex digits")
        }
        return digest
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
