import CoveCore

/// Docker's `--env-file` format: one `KEY=value` a line (the value kept as written, quotes and
/// spaces included), `#` comments and blank lines skipped, leading whitespace dropped; a bare
/// `KEY` takes its value from `environment` and is left out when that has none.
enum EnvFile {
    static func parse(_ text: String, name: String, environment: [String: String]) throws(CoveError) -> [String] {
        var entries: [String] = []
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // Split on the scalar: Swift sees "\r\n" as one character.
        let lines = body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, scalars) in lines.enumerated() {
            let raw = Substring(String(String.UnicodeScalarView(scalars)))
            let line = raw.unicodeScalars.last == "\r" ? Substring(String(raw.unicodeScalars.dropLast())) : raw
            let trimmed = line.drop { $0.isWhitespace }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let variable = String(parts[0])
            if variable.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                throw CoveError(.invalidInput, "\(name): variable '\(variable)' contains whitespaces")
            }
            if variable.isEmpty {
                throw CoveError(.invalidInput, "\(name): no variable name on line \(index + 1) '\(trimmed)'")
            }
            if parts.count == 2 {
                entries.append(variable + "=" + parts[1])
            } else if let value = environment[variable] {
                entries.append(variable + "=" + value)
            }
        }
        return entries
    }
}
