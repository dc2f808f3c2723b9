/// A content digest: `sha256:` followed by 64 lower-case hexadecimal digits.
///
/// Every blob, manifest, config and image id in Cove is named by one. A `Digest` is only ever
/// built from text that passed validation, so its `description` is safe to use as a file name
/// (`<root>/blobs/sha256/<hex>`): it can never hold `/`, `..` or any character outside `[0-9a-f]`.
/// Only sha256 is supported, as in Docker; other algorithms are rejected with a clear message.
///
/// It encodes and decodes as its string form, `"sha256:…"`.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The only supported algorithm.
    public static let sha256 = "sha256"
    /// The number of hexadecimal digits of a sha256 digest.
    public static let sha256HexLength = 64

    /// The 64 lower-case hexadecimal digits.
    public let hex: String

    /// The algorithm, always `sha256`.
    public var algorithm: String { Digest.sha256 }

    /// `sha256:<hex>`.
    public var description: String { "\(Digest.sha256):\(hex)" }

    /// The first 12 hexadecimal digits, as Docker shows image and container ids.
    public var shortHex: String { String(hex.prefix(12)) }

    /// Parses `sha256:<64 lower-case hex digits>`.
    public init(parsing text: String) throws(CoveError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw CoveError(
                .invalidInput,
                "invalid digest \(Digest.quote(text)): expected \"sha256:\" followed by 64 lower-case hex digits")
        }
        let algorithm = text[..<colon]
        guard algorithm == Digest.sha256 else {
            if algorithm.isEmpty {
                throw CoveError(.invalidInput, "invalid digest \(Digest.quote(text)): the algorithm is missing")
            }
            throw CoveError(
                .invalidInput,
                "unsupported digest algorithm \(Digest.quote(String(algorithm))) in \(Digest.quote(text)): "
                    + "only sha256 is supported")
        }
        try self.init(sha256Hex: String(text[text.index(after: colon)...]), original: text)
    }

    /// Builds a digest from the 64 hexadecimal digits alone (a Docker image id without its prefix).
    public init(sha256Hex hex: String) throws(CoveError) {
        try self.init(sha256Hex: hex, original: "\(Digest.sha256):\(hex)")
    }

    /// The digest of a finished SHA-256 computation: its 32 bytes, written as hex. Only the
    /// hashing code in this package makes these, so the length always holds.
    package init(sha256Bytes bytes: some Sequence<UInt8>) {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(Digest.sha256HexLength)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        hex = String(decoding: text, as: UTF8.self)
    }

    private init(sha256Hex hex: String, original: String) throws(CoveError) {
        let count = hex.utf8.count
        guard count == Digest.sha256HexLength else {
            throw CoveError(
                .invalidInput,
                "invalid digest \(Digest.quote(original)): a sha256 digest has 64 hex digits, this one has \(count)")
        }
        guard Digest.isLowerHex(hex) else {
            throw CoveError(
                .invalidInput,
                "invalid digest \(Digest.quote(original)): the hex digits must be lower-case 0-9 and a-f")
        }
        self.hex = hex
    }

    /// True when `text` is a valid `sha256:<hex>` digest.
    public static func isValid(_ text: String) -> Bool {
        (try? Digest(parsing: text)) != nil
    }

    /// True when `text` is exactly 64 lower-case hexadecimal digits.
    public static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == sha256HexLength && isLowerHex(text)
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Digest(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isLowerHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The text quoted and escaped for a message, cut short when it is long.
    private static func quote(_ text: String) -> String {
        let limit = 100
        guard text.count > limit else { return String(reflecting: text) }
        return String(reflecting: String(text.prefix(limit))) + "…"
    }
}
