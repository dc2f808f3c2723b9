import CoveCore
import CoveImage
import GRDB

/// How a user's text names an image, in Docker's order: a full id (`sha256:<64 hex>` or the 64 hex
/// digits), then a reference (`busybox`, `user/app:1`, `x@sha256:…`), then a unique id prefix of at
/// least `minimumPrefixLength` hex digits (with or without `sha256:`).
enum ImageResolution {
    /// The shortest id prefix accepted.
    static let minimumPrefixLength = 12

    /// The image `text` names, or a `notFound` error saying so.
    static func resolve(_ text: String, in db: Database) throws -> ImageRecord {
        if let id = fullID(text) {
            if let image = try ImageRecord.fetchOne(db, key: id) { return image }
            throw CoveError(.notFound, "No such image: \(text)")
        }
        if let reference = try? normalized(ImageReference(parsing: text)),
            let row = try ImageReferenceRecord.fetchOne(db, key: reference.string),
            let image = try ImageRecord.fetchOne(db, key: row.imageID)
        {
            return image
        }
        if let prefix = idPrefix(text) {
            return try byPrefix(prefix, text: text, in: db)
        }
        throw CoveError(.notFound, "No such image: \(text)")
    }

    /// A reference as it is stored: fully qualified, `latest` when it has neither tag nor digest.
    static func normalized(_ reference: ImageReference) -> ImageReference {
        reference.withDefaultTag
    }

    /// True when `text` names `id` by its digits (Docker's `isImageIDPrefix`), not by a reference.
    static func isIDPrefix(_ text: String, of id: Digest) -> Bool {
        guard let prefix = idPrefix(text) ?? fullID(text)?.hex else { return false }
        return id.hex.hasPrefix(prefix)
    }

    /// The digest of `sha256:<64 hex>` or of 64 bare hex digits.
    private static func fullID(_ text: String) -> Digest? {
        if text.hasPrefix("\(Digest.sha256):") { return try? Digest(parsing: text) }
        guard text.count == Digest.sha256HexLength else { return nil }
        return try? Digest(sha256Hex: text)
    }

    /// The hex digits of an id prefix, when `text` is one (long enough, lower-case hex only).
    private static func idPrefix(_ text: String) -> String? {
        let digits = text.hasPrefix("\(Digest.sha256):") ? String(text.dropFirst(Digest.sha256.count + 1)) : text
        guard digits.count >= minimumPrefixLength, digits.count <= Digest.sha256HexLength,
            digits.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        return digits
    }

    private static func byPrefix(_ prefix: String, text: String, in db: Database) throws -> ImageRecord {
        let low = "\(Digest.sha256):\(prefix)"
        let matches = try ImageRecord.filter(
            ImageRecord.CodingKeys.id >= low && ImageRecord.CodingKeys.id < low + "g"
        ).limit(2).fetchAll(db)
        guard let first = matches.first else { throw CoveError(.notFound, "No such image: \(text)") }
        guard matches.count == 1 else {
            throw CoveError(
                .invalidInput, "ambiguous image id prefix \(text): it matches more than one image; give more digits")
        }
        return first
    }
}
