/// Variable substitution in one string, as the Compose Specification defines it:
/// `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
/// `${VAR:+replacement}`, `${VAR+replacement}`, nesting inside defaults, and `$$` for a
/// literal `$`. A `$` that starts none of these stays as it is (Compose does the same).
public struct Template: Sendable {
    /// Why a substitution failed. The caller adds the position.
    public enum Failure: Error, Equatable, Sendable {
        /// `${` without a valid name, operator or closing brace.
        case invalidFormat
        /// `${VAR:?message}` or `${VAR?message}` on an unset (or empty) variable.
        case required(variable: String, message: String)
    }

    /// Looks a variable up; nil means unset.
    public var lookup: @Sendable (String) -> String?

    public init(lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// Substitutes `text`. `unset` receives each variable that was unset and had no default.
    public func substitute(_ text: String, unset: (String) -> Void = { _ in }) throws(Failure) -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var scanner = Scanner(Array(text.unicodeScalars))
        return try expand(&scanner, stopAtBrace: false, unset: unset)
    }

    /// True when the text holds at least one substitution (not just `$$`).
    public static func hasVariables(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "$", i + 1 < scalars.count {
                let next = scalars[i + 1]
                if next == "$" {
                    i += 2
                    continue
                }
                if next == "{" || isNameStart(next) { return true }
            }
            i += 1
        }
        return false
    }

    struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }
        var atEnd: Bool { index >= scalars.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || (c >= "0" && c <= "9")
    }

    /// Expands until the end, or until an unmatched `}` when inside a braced default.
    private func expand(_ s: inout Scanner, stopAtBrace: Bool, unset: (String) -> Void) throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        while let c = s.peek() {
            if stopAtBrace, c == "}" { return String(out) }
            guard c == "$" else {
                out.append(c)
                s.index += 1
                continue
            }
            guard let next = s.peek(1) else {
                out.append(c)
                s.index += 1
                continue
            }
            if next == "$" {
                out.append("$")
                s.index += 2
            } else if next == "{" {
                s.index += 2
                out.append(contentsOf: try braced(&s, unset: unset).unicodeScalars)
            } else if Template.isNameStart(next) {
                s.index += 1
                let name = readName(&s)
                if let value = lookup(name) {
                    out.append(contentsOf: value.unicodeScalars)
                } else {
                    unset(name)
                }
            } else {
                out.append(c)
                s.index += 1
            }
        }
        if stopAtBrace { throw .invalidFormat }
        return String(out)
    }

    private func readName(_ s: inout Scanner) -> String {
        var name = String.UnicodeScalarView()
        while let c = s.peek(), Template.isNameChar(c) {
            name.append(c)
            s.index += 1
        }
        return String(name)
    }

    /// Parses after `${`: a name, an optional operator and word, and the closing `}`.
    private func braced(_ s: inout Scanner, unset: (String) -> Void) throws(Failure) -> String {
        guard let first = s.peek(), Template.isNameStart(first) else { throw .invalidFormat }
        let name = readName(&s)
        guard let c = s.peek() else { throw .invalidFormat }
        if c == "}" {
            s.index += 1
            if let value = lookup(name) { return value }
            unset(name)
            return ""
        }
        var colon = false
        if c == ":" {
            colon = true
            s.index += 1
        }
        guard let op = s.peek(), op == "-" || op == "?" || op == "+" else { throw .invalidFormat }
        s.index += 1
        let value = lookup(name)
        let isSet = colon ? !(value ?? "").isEmpty : value != nil
        // The word is only expanded when it is used, so `${A:-${B}}` warns about B only if A is unset.
        let wordStart = s.index
        try skipWord(&s)
        func word() throws(Failure) -> String {
            var inner = s
            inner.index = wordStart
            return try expand(&inner, stopAtBrace: true, unset: unset)
        }
        switch op {
        case "-":
            return isSet ? (value ?? "") : try word()
        case "+":
            return isSet ? try word() : ""
        default:
            if isSet { return value ?? "" }
            throw .required(variable: name, message: try word())
        }
    }

    /// Moves past a default/replacement word and its closing `}`, honouring nested `${…}`.
    private func skipWord(_ s: inout Scanner) throws(Failure) {
        var depth = 0
        while let c = s.peek() {
            if c == "$", s.peek(1) == "$" {
                s.index += 2
                continue
            }
            if c == "$", s.peek(1) == "{" {
                depth += 1
                s.index += 2
                continue
            }
            s.index += 1
            if c == "}" {
                if depth == 0 { return }
                depth -= 1
            }
        }
        throw .invalidFormat
    }
}
