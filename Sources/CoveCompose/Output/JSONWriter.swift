import Foundation

/// Writes a `Node` tree as JSON: pretty (two-space indentation, key order kept) for
/// `config --format json`, or canonical (sorted keys, no spaces) for hashing.
public enum JSONWriter {
    /// With `escapeDollars`, every `$` in a string is written as `$$` (see `YAMLWriter`).
    public static func write(_ node: Node, pretty: Bool = true, escapeDollars: Bool = false) -> String {
        var out = ""
        emit(node, indent: 0, pretty: pretty, sorted: false, escape: escapeDollars, into: &out)
        return out
    }

    /// Sorted keys, no whitespace: equal trees give equal bytes whatever their key order.
    public static func canonical(_ node: Node) -> String {
        var out = ""
        emit(node, indent: 0, pretty: false, sorted: true, escape: false, into: &out)
        return out
    }

    private static func emit(
        _ node: Node, indent: Int, pretty: Bool, sorted: Bool, escape: Bool, into out: inout String
    ) {
        let newline = pretty ? "\n" : ""
        let pad = { (n: Int) in pretty ? String(repeating: " ", count: n) : "" }
        switch node.value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += d.isFinite ? (node.scalarText ?? "0") : "null"
        case .string(let s): out += quote(escape ? s.replacingOccurrences(of: "$", with: "$$") : s)
        case .sequence(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad(indent + 2)
                emit(item, indent: indent + 2, pretty: pretty, sorted: sorted, escape: escape, into: &out)
                out += (i + 1 < items.count ? "," : "") + newline
            }
            out += pad(indent) + "]"
        case .mapping(let m):
            if m.isEmpty {
                out += "{}"
                return
            }
            out += "{" + newline
            let keys = sorted ? m.keys.sorted() : m.keys
            for (i, key) in keys.enumerated() {
                out += pad(indent + 2) + quote(key) + (pretty ? ": " : ":")
                emit(m[key] ?? .null, indent: indent + 2, pretty: pretty, sorted: sorted, escape: escape, into: &out)
                out += (i + 1 < keys.count ? "," : "") + newline
            }
            out += pad(indent) + "}"
        }
    }

    /// A string in double quotes, escaped for JSON. The result is also a valid YAML
    /// double-quoted scalar (DEL and the byte-order mark are escaped too), so the YAML
    /// writer and error messages quote with it as well.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || u == "\u{FEFF}" {
                    out += "\\u" + String(u.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
