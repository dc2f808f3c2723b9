/// The fields of an `os-release` file (`/etc/os-release`, `/usr/lib/os-release`).
public struct OSRelease: Sendable, Equatable {
    /// Every `KEY=value` line, values unquoted.
    public var fields: [String: String]

    public init(fields: [String: String]) {
        self.fields = fields
    }

    /// `PRETTY_NAME`, the name a person reads ("Debian GNU/Linux 12 (bookworm)").
    public var prettyName: String? { fields["PRETTY_NAME"] }
    /// `VERSION_ID` ("12").
    public var versionID: String? { fields["VERSION_ID"] }

    /// Parses the file's text: `KEY=value` lines, values optionally in single or double quotes
    /// with backslash escapes; comments and malformed lines are skipped.
    public static func parse(_ text: String) -> OSRelease {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = String(line).trimmingWhitespace()
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            fields[key] = unquote(String(trimmed[trimmed.index(after: equals)...]))
        }
        return OSRelease(fields: fields)
    }

    private static func unquote(_ value: String) -> String {
        guard let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote else {
            return value
        }
        var result = ""
        var escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped || character != "\\" || quote == "'" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
