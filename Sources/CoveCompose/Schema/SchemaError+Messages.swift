import CoveCore

/// One step of the path from the document root to a value.
enum SchemaPathComponent: Sendable {
    case key(String)
    case index(Int)
}

/// What is wrong with a value; rendered into a message only once validation is over.
enum SchemaProblem: Sendable {
    case unknownKey(String, suggestion: String?)
    case invalidKey(String, patterns: [String])
    case missingKey(String)
    case wrongType(expected: [SchemaType], actual: String)
    case notInEnum([SchemaValue], actual: String, suggestion: String?)
    case duplicateItem(String)
    case tooSmall(limit: Double, exclusive: Bool, actual: String)
    case tooLarge(limit: Double, exclusive: Bool, actual: String)
    case patternMismatch(String, pattern: String)
    case ambiguous(matching: Int, of: Int)
    case notAllowed
    case matchesForbidden
    case tooShort(Int)
    case tooLong(Int)
    case tooFewItems(Int)
    case tooManyItems(Int)
    case tooFewKeys(Int)
    case tooManyKeys(Int)
}

/// A problem found at one place in the document.
struct SchemaIssue: Sendable {
    var location: SourceLocation
    /// The path of the value at fault (for key problems: of the mapping holding the key).
    var path: [SchemaPathComponent]
    var problem: SchemaProblem

    /// How far into the document the problem lies; a branch of `oneOf` that failed deeper
    /// got further, and is the one the user most likely meant.
    var depth: Int {
        switch problem {
        case .unknownKey, .invalidKey, .missingKey: path.count + 1
        default: path.count
        }
    }

    /// The user-facing message: `services.web.ports: must be a list, not a string`.
    func message(prefix: String) -> String {
        let where_ = SchemaIssue.render(path, prefix: prefix)
        if where_.isEmpty {
            switch problem {
            case .unknownKey(let key, let suggestion):
                return "unknown top-level key \(SchemaText.quote(key))" + SchemaText.didYouMean(suggestion)
            case .invalidKey(let key, let patterns):
                return "invalid top-level key \(SchemaText.quote(key))" + SchemaText.mustMatch(patterns)
            case .missingKey(let key):
                return "missing required top-level key \(SchemaText.quote(key))"
            default:
                return "top level: " + body
            }
        }
        return where_ + ": " + body
    }

    private var body: String {
        switch problem {
        case .unknownKey(let key, let suggestion):
            return "unknown key \(SchemaText.quote(key))" + SchemaText.didYouMean(suggestion)
        case .invalidKey(let key, let patterns):
            return "invalid key \(SchemaText.quote(key))" + SchemaText.mustMatch(patterns)
        case .missingKey(let key):
            return "missing required key \(SchemaText.quote(key))"
        case .wrongType(let expected, let actual):
            return "must be \(SchemaText.typeList(expected)), not \(actual)"
        case .notInEnum(let allowed, let actual, let suggestion):
            let list = allowed.map(\.display)
            let must =
                list.count == 1 ? "must be \(list[0])" : "must be one of \(list.joined(separator: ", "))"
            return "\(must), not \(actual)" + SchemaText.didYouMean(suggestion)
        case .duplicateItem(let item):
            return "duplicate item \(item)"
        case .tooSmall(let limit, let exclusive, let actual):
            return
                "must be \(exclusive ? "greater than" : "at least") \(SchemaText.formatNumber(limit)), not \(actual)"
        case .tooLarge(let limit, let exclusive, let actual):
            return "must be \(exclusive ? "less than" : "at most") \(SchemaText.formatNumber(limit)), not \(actual)"
        case .patternMismatch(let value, let pattern):
            return "\(value) does not match the pattern \(SchemaText.quote(pattern))"
        case .ambiguous(let matching, let total):
            return "matches \(matching) of the \(total) allowed forms, but must match exactly one"
        case .notAllowed:
            return "is not allowed here"
        case .matchesForbidden:
            return "has a form that is not allowed here"
        case .tooShort(let n): return "must be at least \(SchemaText.plural(n, "character")) long"
        case .tooLong(let n): return "must be at most \(SchemaText.plural(n, "character")) long"
        case .tooFewItems(let n): return "must have at least \(SchemaText.plural(n, "item"))"
        case .tooManyItems(let n): return "must have at most \(SchemaText.plural(n, "item"))"
        case .tooFewKeys(let n): return "must have at least \(SchemaText.plural(n, "key"))"
        case .tooManyKeys(let n): return "must have at most \(SchemaText.plural(n, "key"))"
        }
    }

    /// `services.web.ports[0]`; keys that would read ambiguously are quoted:
    /// `services.web.labels["com.example.tier"]`.
    static func render(_ path: [SchemaPathComponent], prefix: String) -> String {
        var text = prefix
        for component in path {
            switch component {
            case .index(let i):
                text += "[\(i)]"
            case .key(let key):
                if key.isEmpty || key.unicodeScalars.contains(where: needsQuoting) {
                    text += "[\(SchemaText.quote(key))]"
                } else {
                    text += text.isEmpty ? key : "." + key
                }
            }
        }
        return text
    }

    private static func needsQuoting(_ c: Unicode.Scalar) -> Bool {
        c == "." || c == "[" || c == "]" || c == "\"" || c == " " || c.value < 0x20 || c == "\u{7f}"
    }
}

extension Node {
    /// The value as a message shows it: `"8.8.8.8"`, `80`, `true`, `null`, `a mapping`.
    var schemaDisplay: String {
        switch value {
        case .string(let s): return SchemaText.quote(s.count > 80 ? String(s.prefix(77)) + "..." : s)
        case .mapping, .sequence:
            let text = description
            return text.count > 80 ? kindName : text
        default: return scalarText ?? "null"
        }
    }
}

extension SchemaValue {
    var display: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let d): SchemaText.formatNumber(d)
        case .string(let s): SchemaText.quote(s)
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}

/// The words of messages: quoting, type names, numbers, and "did you mean" suggestions.
enum SchemaText {
    static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean \(quote($0))?)" } ?? ""
    }

    static func mustMatch(_ patterns: [String]) -> String {
        guard !patterns.isEmpty else { return "" }
        return " (keys must match \(patterns.map(quote).joined(separator: " or ")))"
    }

    static func plural(_ n: Int, _ word: String) -> String {
        n == 1 ? "1 \(word)" : "\(n) \(word)s"
    }

    /// "a string", "a string or a list", "null, a string or a list".
    static func typeList(_ types: [SchemaType]) -> String {
        var names: [String] = []
        for type in types where !(type == .integer && types.contains(.number)) {
            let name =
                switch type {
                case .null: "null"
                case .boolean: "a boolean"
                case .integer: "an integer"
                case .number: "a number"
                case .string: "a string"
                case .object: "a mapping"
                case .array: "a list"
                }
            if !names.contains(name) { names.append(name) }
        }
        guard let last = names.popLast() else { return "nothing" }
        return names.isEmpty ? last : names.joined(separator: ", ") + " or " + last
    }

    /// A string in double quotes, with quotes, backslashes and control characters escaped.
    static func quote(_ s: String) -> String {
        JSONWriter.quote(s)
    }

    static func formatNumber(_ d: Double) -> String {
        Node.formatFloat(d)
    }

    /// The candidate closest to `word` (case-insensitive optimal-string-alignment distance), if
    /// it is close enough to be a likely typo: at most 1 edit for short words, 2 otherwise.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        let limit = target.count <= 3 ? 1 : 2
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - target.count) <= limit else { continue }
            let d = editDistance(target, other)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// Damerau-Levenshtein distance (optimal string alignment: a swap of neighbours is one edit).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d = min(d, before[j - 2] + 1)
                }
                current[j] = d
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
