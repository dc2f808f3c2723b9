import CoveCore
import GRDB

/// Digests are stored as their text form, `sha256:<hex>`; a value that is not a valid digest
/// reads as nil, which GRDB reports as a decoding error instead of building an invalid `Digest`.
extension Digest: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Digest? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        return try? Digest(parsing: text)
    }
}
