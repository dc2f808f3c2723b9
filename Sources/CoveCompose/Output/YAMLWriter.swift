import Foundation

/// Writes a `Node` tree as block-style YAML, in the layout `docker compose config` uses:
/// two-space indentation, list items indented under their key, strings quoted only when
/// a YAML reader would otherwise take them for something else.
public enum YAMLWriter {
    /// With `escapeDollars`, every `$` in a string is written as `$$`, so that printed,
    /// interpolated configuration reads back to the same values (Compose does the same).
    public static func write(_ node: Node, escapeDollars: Bool = false) -> String {
        String(decoding: bytes(node, escapeDollars: escapeDollars), as: UTF8.self)
    }

    /// The same text as `write`, as UTF-8 bytes (for output, without a copy into a String).
    public static func bytes(_ node: Node, escapeDollars: Bool = false) -> [UInt8] {
        var writer = Writer(escapeDollars: escapeDollars)
        switch node.value {
        case .mapping(let m) where !m.isEmpty:
            for (name, value) in m {
                // A large section (the services of a big project) is written in parallel,
                // one entry per task, and joined in order.
                if let entries = value.mapping, entries.count >= Parallel.minimumItems {
                    writer.key(name)
                    writer.byte(UInt8(ascii: "\n"))
                    let pairs = entries.map { (key: $0.key, value: $0.value) }
                    let parts = Parallel.map(pairs) { entry in
                        var part = Writer(escapeDollars: escapeDollars)
                        part.pad(2)
                        part.key(entry.key)
                        part.writeValue(entry.value, indent: 2)
                        return part.out
                    }
                    writer.out.reserveCapacity(writer.out.count + parts.reduce(0) { $0 + $1.count })
                    for part in parts { writer.out.append(contentsOf: part) }
                } else {
                    writer.key(name)
                    writer.writeValue(value, indent: 0)
                }
            }
        case .sequence(let s) where !s.isEmpty:
            writer.writeSequence(s, indent: 0)
        default:
            writer.writeScalar(node)
            writer.byte(UInt8(ascii: "\n"))
        }
        return writer.out
    }

    /// Appends UTF-8 bytes to one buffer; no intermediate strings per line.
    private struct Writer {
        let escapeDollars: Bool
        var out: [UInt8] = []

        init(escapeDollars: Bool) { self.escapeDollars = escapeDollars }

        mutating func byte(_ b: UInt8) { out.append(b) }

        mutating func text(_ s: String) { out.append(contentsOf: s.utf8) }

        mutating func pad(_ n: Int) {
            for _ in 0..<n { out.append(UInt8(ascii: " ")) }
        }

        mutating func key(_ key: String) {
            text(YAMLWriter.quoteIfNeeded(key))
            byte(UInt8(ascii: ":"))
        }

        mutating func writeMapping(_ m: Mapping, indent: Int) {
            for (name, value) in m {
                pad(indent)
                key(name)
                writeValue(value, indent: indent)
            }
        }

        mutating func writeSequence(_ items: [Node], indent: Int) {
            for item in items {
                pad(indent)
                byte(UInt8(ascii: "-"))
                switch item.value {
                case .mapping(let m) where !m.isEmpty:
                    // First key on the dash line, the rest aligned under it.
                    var first = true
                    for (name, value) in m {
                        if first { byte(UInt8(ascii: " ")) } else { pad(indent + 2) }
                        key(name)
                        first = false
                        writeValue(value, indent: indent + 2)
                    }
                case .sequence(let s) where !s.isEmpty:
                    byte(UInt8(ascii: "\n"))
                    writeSequence(s, indent: indent + 2)
                default:
                    byte(UInt8(ascii: " "))
                    writeScalar(item)
                    byte(UInt8(ascii: "\n"))
                }
            }
        }

        mutating func writeValue(_ value: Node, indent: Int) {
            switch value.value {
            case .mapping(let m) where !m.isEmpty:
                byte(UInt8(ascii: "\n"))
                writeMapping(m, indent: indent + 2)
            case .sequence(let s) where !s.isEmpty:
                byte(UInt8(ascii: "\n"))
                writeSequence(s, indent: indent + 2)
            default:
                byte(UInt8(ascii: " "))
                writeScalar(value)
                byte(UInt8(ascii: "\n"))
            }
        }

        mutating func writeScalar(_ node: Node) {
            guard case .string(let s) = node.value else {
                text(YAMLWriter.scalar(node))
                return
            }
            if escapeDollars, s.utf8.contains(UInt8(ascii: "$")) {
                writeString(s.replacingOccurrences(of: "$", with: "$$"))
            } else {
                writeString(s)
            }
        }

        /// A string, plain or double-quoted (as `quoteIfNeeded`), without building a copy.
        mutating func writeString(_ s: String) {
            guard YAMLWriter.needsQuotes(s) else {
                text(s)
                return
            }
            // Printable ASCII without `"` or `\\` is quoted as it is; anything else the general way.
            for b in s.utf8 where b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                text(JSONWriter.quote(s))
                return
            }
            byte(UInt8(ascii: "\""))
            text(s)
            byte(UInt8(ascii: "\""))
        }
    }

    static func scalar(_ node: Node) -> String {
        switch node.value {
        case .null: return "null"
        case .mapping: return "{}"
        case .sequence: return "[]"
        case .string(let s): return quoteIfNeeded(s)
        case .float(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
            return node.scalarText ?? ""
        default: return node.scalarText ?? ""
        }
    }

    /// A string as a plain scalar when that reads back as the same string, else double-quoted.
    static func quoteIfNeeded(_ s: String) -> String {
        needsQuotes(s) ? JSONWriter.quote(s) : s
    }

    static func needsQuotes(_ s: String) -> Bool {
        isPlainWord(s) ? false : needsQuotesInGeneral(s)
    }

    /// The full rule; `isPlainWord` only shortens the common case. The first and last
    /// characters are tested as bytes: an ASCII byte in UTF-8 is always a whole scalar.
    static func needsQuotesInGeneral(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last else { return true }
        if case .string = ScalarResolver.resolve(s) {} else { return true }
        // YAML 1.1 readers (Compose v1, PyYAML) take these for booleans.
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "o"),
            UInt8(ascii: "O"):
            if s.utf8.count <= 5, yamlBooleans.contains(s) { return true }
        default: break
        }
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || last == UInt8(ascii: " ")
            || last == UInt8(ascii: "\t")
        {
            return true
        }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
            UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
            UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            // "-x" and ":x" style plain scalars are legal but confusing; quote all but "-flag".
            if first == UInt8(ascii: "-"), s.count > 1, !s.hasPrefix("- "), !s.hasPrefix("--- ") {
                return containsSpecial(s)
            }
            return true
        default:
            return containsSpecial(s)
        }
    }

    /// The words YAML 1.1 reads as booleans.
    private static let yamlBooleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// The common case, decided in one pass: a letter that starts no special word (null,
    /// booleans of YAML 1.1 and 1.2) or a `/`, then only letters, digits and `_ . / -`.
    /// Such a string reads back as itself.
    static func isPlainWord(_ s: String) -> Bool {
        var bytes = s.utf8.makeIterator()
        guard let first = bytes.next() else { return false }
        switch first {
        case UInt8(ascii: "/"):
            break
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            switch first | 0x20 {
            case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "y"), UInt8(ascii: "o"):
                return false
            default: break
            }
        default:
            return false
        }
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"),
                UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// `": "`, `" #"`, a trailing `:` or a control character (one pass over the bytes).
    private static func containsSpecial(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for byte in s.utf8 {
            if byte < 0x20 || byte == 0x7F { return true }
            if previous == UInt8(ascii: ":"), byte == UInt8(ascii: " ") { return true }
            if previous == UInt8(ascii: " "), byte == UInt8(ascii: "#") { return true }
            previous = byte
        }
        // U+FEFF is a grapheme of its own: a byte test is the same as `hasPrefix`.
        return previous == UInt8(ascii: ":") || s.utf8.starts(with: [0xEF, 0xBB, 0xBF])
    }

}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
