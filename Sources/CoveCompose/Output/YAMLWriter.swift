/// Writes a `Node` tree as block-style YAML, in the layout `docker compose config` uses:
/// two-space indentation, list items indented under their key, strings quoted only when
/// a YAML reader would otherwise take them for something else.
public enum YAMLWriter {
    public static func write(_ node: Node) -> String {
        var out = ""
        switch node.value {
        case .mapping(let m) where !m.isEmpty:
            writeMapping(m, indent: 0, into: &out)
        case .sequence(let s) where !s.isEmpty:
            writeSequence(s, indent: 0, into: &out)
        default:
            out = scalar(node) + "\n"
        }
        return out
    }

    private static func pad(_ n: Int) -> String { String(repeating: " ", count: n) }

    private static func writeMapping(_ m: Mapping, indent: Int, into out: inout String) {
        for (key, value) in m {
            out += pad(indent) + quoteIfNeeded(key) + ":"
            writeValue(value, indent: indent, into: &out)
        }
    }

    private static func writeSequence(_ items: [Node], indent: Int, into out: inout String) {
        for item in items {
            out += pad(indent) + "-"
            switch item.value {
            case .mapping(let m) where !m.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var first = true
                for (key, value) in m {
                    out += (first ? " " : pad(indent + 2)) + quoteIfNeeded(key) + ":"
                    first = false
                    writeValue(value, indent: indent + 2, into: &out)
                }
            case .sequence(let s) where !s.isEmpty:
                out += "\n"
                writeSequence(s, indent: indent + 2, into: &out)
            default:
                out += " " + scalar(item) + "\n"
            }
        }
    }

    private static func writeValue(_ value: Node, indent: Int, into out: inout String) {
        switch value.value {
        case .mapping(let m) where !m.isEmpty:
            out += "\n"
            writeMapping(m, indent: indent + 2, into: &out)
        case .sequence(let s) where !s.isEmpty:
            out += "\n"
            writeSequence(s, indent: indent + 2, into: &out)
        default:
            out += " " + scalar(value) + "\n"
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
        needsQuotes(s) ? doubleQuoted(s) : s
    }

    static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if case .string = ScalarResolver.resolve(s) {} else { return true }
        if ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"].contains(s) {
            return true
        }
        if " \t".unicodeScalars.contains(first) || " \t".unicodeScalars.contains(last) { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            // "-x" and ":x" style plain scalars are legal but confusing; quote all but "-flag".
            if first == "-", s.count > 1, !s.hasPrefix("- "), !s.hasPrefix("--- ") { return containsSpecial(s) }
            return true
        }
        return containsSpecial(s)
    }

    private static func containsSpecial(_ s: String) -> Bool {
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return true }
        for u in s.unicodeScalars where u.value < 0x20 || u.value == 0x7F || u == "\u{FEFF}" { return true }
        return false
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || u == "\u{FEFF}" {
                    out += "\\x" + String(u.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
