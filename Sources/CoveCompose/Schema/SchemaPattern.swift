import CoveCore
import Foundation

/// A `pattern` or `patternProperties` regular expression, compiled once.
///
/// JSON Schema patterns are unanchored searches. The shapes compose files use all the time
/// (`^x-`, `^[a-zA-Z0-9._-]+$`, `^.+$`, `.+`) get a hand-written matcher, so checking a key
/// is a prefix test or a scan of its scalars; anything else goes to `NSRegularExpression`.
struct SchemaPattern: Sendable {
    /// The pattern as written in the schema, for messages.
    let source: String
    private let matcher: Matcher

    private enum Matcher: Sendable {
        /// `^literal`, with the literal's first UTF-8 byte for a quick rejection.
        case prefix(String, first: UInt8)
        /// `^C+$`: not empty, and every scalar is in the class.
        case whole(CharClass)
        /// `C1C2...Cn` or `C1C2...Cn+` (unanchored, or anchored with `^` only): the classes
        /// once each, in a row, somewhere (or at the start); the final `+` cannot change
        /// whether there is a match.
        case run([CharClass], anchored: Bool)
        case regex(NSRegularExpression)
    }

    /// A character class: `.` or a bracket expression of single scalars and ranges.
    private enum CharClass: Sendable {
        case anyButNewline
        case ranges([ClosedRange<Unicode.Scalar>])

        func contains(_ c: Unicode.Scalar) -> Bool {
            switch self {
            case .anyButNewline:
                return c != "\n" && c != "\r" && c != "\u{2028}" && c != "\u{2029}"
            case .ranges(let ranges):
                for r in ranges where r.contains(c) { return true }
                return false
            }
        }
    }

    init(_ source: String, at path: String) throws(CoveError) {
        self.source = source
        if let fast = Self.fastMatcher(source) {
            matcher = fast
            return
        }
        do {
            matcher = .regex(try NSRegularExpression(pattern: source))
        } catch {
            throw CoveError(.invalidInput, "schema \(path): invalid pattern \"\(source)\"")
        }
    }

    /// Whether the pattern occurs in `text`.
    func matches(_ text: String) -> Bool {
        switch matcher {
        case .prefix(let p, let first):
            return text.utf8.first == first && text.hasPrefix(p)
        case .whole(let c):
            var any = false
            for s in text.unicodeScalars {
                guard c.contains(s) else { return false }
                any = true
            }
            return any
        case .run(let classes, let anchored):
            let scalars = text.unicodeScalars
            var start = scalars.startIndex
            while start != scalars.endIndex {
                var i = start
                var all = true
                for c in classes {
                    guard i != scalars.endIndex, c.contains(scalars[i]) else {
                        all = false
                        break
                    }
                    i = scalars.index(after: i)
                }
                if all { return true }
                if anchored { return false }
                start = scalars.index(after: start)
            }
            return false
        case .regex(let r):
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            return r.firstMatch(in: text, options: [], range: range) != nil
        }
    }

    private static let metacharacters = Set<Unicode.Scalar>(#"\^$.|?*+()[]{}"#.unicodeScalars)

    private static func fastMatcher(_ source: String) -> Matcher? {
        let scalars = Array(source.unicodeScalars)
        if scalars.first == "^", scalars.count > 1,
            !scalars.dropFirst().contains(where: { metacharacters.contains($0) })
        {
            let literal = String(source.dropFirst())
            return .prefix(literal, first: literal.utf8.first ?? 0)
        }
        var body = scalars[...]
        let anchoredStart = body.first == "^"
        if anchoredStart { body = body.dropFirst() }
        if anchoredStart, body.last == "$", body.dropLast().last == "+",
            let c = parseClass(body.dropLast(2))
        {
            return .whole(c)
        }
        // A run of classes, each once or with `+`.
        var classes: [CharClass] = []
        while !body.isEmpty {
            var end = body.startIndex + 1
            if body.first == "[" {
                guard let close = body.firstIndex(of: "]") else { return nil }
                end = close + 1
            }
            guard let c = parseClass(body[body.startIndex..<end]) else { return nil }
            classes.append(c)
            body = body[end...]
            if body.first == "+" {
                body = body.dropFirst()
                // Only a last `+` is free; one in the middle would need backtracking.
                guard body.isEmpty else { return nil }
            }
        }
        return classes.isEmpty ? nil : .run(classes, anchored: anchoredStart)
    }

    /// Parses `.`, a plain character, or `[...]` (no escapes, no negation): all of `body`.
    private static func parseClass(_ body: ArraySlice<Unicode.Scalar>) -> CharClass? {
        if body.count == 1, let c = body.first {
            if c == "." { return .anyButNewline }
            return metacharacters.contains(c) ? nil : .ranges([c...c])
        }
        guard body.count > 2, body.first == "[", body.last == "]" else { return nil }
        let inner = Array(body.dropFirst().dropLast())
        guard inner.first != "^", !inner.contains("\\"), !inner.contains("["), !inner.contains("]")
        else { return nil }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var i = 0
        while i < inner.count {
            if i + 2 < inner.count, inner[i + 1] == "-" {
                guard inner[i] <= inner[i + 2] else { return nil }
                ranges.append(inner[i]...inner[i + 2])
                i += 3
            } else {
                ranges.append(inner[i]...inner[i])
                i += 1
            }
        }
        return .ranges(ranges)
    }
}
