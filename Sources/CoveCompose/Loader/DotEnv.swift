import CoveCore
import Foundation

/// Parser for `.env` files as Docker Compose reads them: `KEY=VALUE`, `export KEY=VALUE`,
/// `KEY: VALUE`, comments, single quotes (literal), double quotes (escapes and
/// substitution, may span lines), unquoted values (substitution, ` #` starts a comment),
/// and a bare `KEY` that inherits the value from the environment.
public enum DotEnv {
    /// Parses `text`. `lookup` supplies variables from outside the file (the shell); it is
    /// consulted before the file's own earlier variables, as Compose does.
    public static func parse(
        _ text: String, file: String, lookup: @escaping @Sendable (String) -> String? = { _ in nil }
    ) throws(CoveError) -> [(key: String, value: String)] {
        var parser = Parser(text: Array(text.unicodeScalars), file: file, lookup: lookup)
        return try parser.run()
    }

    private struct Parser {
        let text: [Unicode.Scalar]
        let file: String
        let lookup: @Sendable (String) -> String?
        var index = 0
        var line = 1
        var result: [(key: String, value: String)] = []
        var seen: [String: String] = [:]

        init(text: [Unicode.Scalar], file: String, lookup: @escaping @Sendable (String) -> String?) {
            var t = text
            if t.first == "\u{FEFF}" { t.removeFirst() }
            self.text = t
            self.file = file
            self.lookup = lookup
        }

        func error(_ message: String) -> CoveError {
            CoveError.invalid(message, at: SourceLocation(file: file, line: line, column: 1))
        }

        static func isSpace(_ c: Unicode.Scalar) -> Bool {
            c == " " || c == "\t" || c == "\u{0B}" || c == "\u{0C}" || c == "\r" || c == "\u{85}" || c == "\u{A0}"
        }

        mutating func skipBlankAndComments() {
            while index < text.count {
                let c = text[index]
                if c == "\n" {
                    line += 1
                    index += 1
                } else if Parser.isSpace(c) {
                    index += 1
                } else if c == "#" {
                    while index < text.count, text[index] != "\n" { index += 1 }
                } else {
                    return
                }
            }
        }

        mutating func run() throws(CoveError) -> [(key: String, value: String)] {
            while true {
                skipBlankAndComments()
                if index >= text.count { return result }
                try statement()
            }
        }

        mutating func statement() throws(CoveError) {
            if matchesExport() {
                index += 6
                while index < text.count, Parser.isSpace(text[index]) { index += 1 }
            }
            var key = String.UnicodeScalarView()
            var inherited = false
            while true {
                guard index < text.count else {
                    inherited = true
                    break
                }
                let c = text[index]
                index += 1
                if c == "=" || c == ":" { break }
                if c == "\n" {
                    inherited = true
                    line += 1
                    break
                }
                if Parser.isSpace(c) {
                    key.append(c)
                    continue
                }
                let allowed =
                    c == "_" || c == "." || c == "-" || c == "[" || c == "]"
                    || c.properties.isAlphabetic || c.properties.numericType != nil
                guard allowed else {
                    throw error("unexpected character '\(c)' in variable name")
                }
                key.append(c)
            }
            let name = String(key).trimmingTrailingSpaces()
            if name.contains(" ") { throw error("variable name \"\(name)\" cannot contain a space") }
            if name.isEmpty { throw error("missing variable name") }
            if inherited {
                if let value = lookup(name) { set(name, value) }
                return
            }
            while index < text.count, Parser.isSpace(text[index]) { index += 1 }
            set(name, try value())
        }

        func matchesExport() -> Bool {
            let word: [Unicode.Scalar] = ["e", "x", "p", "o", "r", "t"]
            guard index + 6 < text.count, Array(text[index..<index + 6]) == word else { return false }
            return Parser.isSpace(text[index + 6])
        }

        mutating func set(_ key: String, _ value: String) {
            if seen[key] == nil {
                result.append((key, value))
            } else if let i = result.firstIndex(where: { $0.key == key }) {
                result[i].value = value
            }
            seen[key] = value
        }

        mutating func value() throws(CoveError) -> String {
            guard index < text.count, text[index] == "\"" || text[index] == "'" else {
                var raw = String.UnicodeScalarView()
                while index < text.count, text[index] != "\n" {
                    raw.append(text[index])
                    index += 1
                }
                var value = String(raw)
                if let comment = value.range(of: " #") { value = String(value[..<comment.lowerBound]) }
                return try expand(value.trimmingTrailingSpaces())
            }
            let quote = text[index]
            let startLine = line
            index += 1
            var chars = String.UnicodeScalarView()
            var escaped = false
            while index < text.count {
                let c = text[index]
                index += 1
                if c == "\n" { line += 1 }
                if c != quote {
                    if !escaped, c == "\\" {
                        escaped = true
                        continue
                    }
                    if escaped {
                        escaped = false
                        chars.append("\\")
                    }
                    chars.append(c)
                    continue
                }
                if escaped {
                    escaped = false
                    chars.append(c)
                    continue
                }
                let value = String(chars)
                return quote == "\"" ? try expand(DotEnv.unescape(value)) : value
            }
            line = startLine
            throw error("unterminated quoted value")
        }

        func expand(_ value: String) throws(CoveError) -> String {
            let outer = lookup
            let own = seen
            let template = Template(lookup: { outer($0) ?? own[$0] })
            do {
                return try template.substitute(value)
            } catch {
                switch error {
                case .invalidFormat:
                    throw self.error("invalid interpolation format in \"\(value)\"")
                case .required(let variable, let message):
                    throw self.error("required variable \"\(variable)\" is missing a value: \(message)")
                }
            }
        }
    }

    /// The escapes a double-quoted value understands: `\n`, `\t`, `\\`, `\"`, `\$` (kept as `$$`).
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var iterator = s.makeIterator()
        while let c = iterator.next() {
            guard c == "\\", let next = iterator.next() else {
                out.append(c)
                continue
            }
            switch next {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "\"": out.append("\"")
            case "'": out.append("'")
            case "$": out.append("$$")
            default:
                out.append("\\")
                out.append(next)
            }
        }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
