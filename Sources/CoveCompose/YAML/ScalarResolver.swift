/// Types plain YAML scalars the way Docker Compose's YAML library does (YAML 1.2 core
/// schema, with Go's integer syntax: `0x1F`, `0o17`, `017`, `1_000`).
enum ScalarResolver {
    static func resolve(_ text: String) -> Node.Value {
        guard let first = text.utf8.first else { return .null }
        // Most scalars are words: only a few first letters can start a special one.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"):
            break
        default:
            return .string(text)
        }
        // The special words below are all ASCII, at most 6 bytes long, and none starts with a
        // digit: other texts need not be compared with each of them.
        let isDigit = first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
        if !isDigit, text.utf8.count <= 6 {
            if let special = special(text) { return special }
        }
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || isDigit
        else { return .string(text) }
        if let int = parseInt(text) { return .int(int) }
        if isFloat(text), let double = Double(text) { return .float(double) }
        return .string(text)
    }

    /// The value of a null, boolean, infinity or NaN word; nil for any other text.
    private static func special(_ text: String) -> Node.Value? {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: return nil
        }
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` after removing underscores (one pass over the bytes).
    static func parseInt(_ text: String) -> Int? {
        var bytes = text.utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard let first = bytes.first else { return nil }
        var radix: UInt64 = 10
        if first == UInt8(ascii: "0"), bytes.count > 1 {
            let second = bytes[bytes.index(after: bytes.startIndex)] | 0x20
            switch second {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: radix = 8
            }
            bytes = bytes.dropFirst(radix == 8 && second != UInt8(ascii: "o") ? 1 : 2)
        }
        var magnitude: UInt64 = 0
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: "_") { continue }
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            digits += 1
        }
        guard digits > 0 else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int(magnitude)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let b = bytes.first, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                bytes = bytes.dropFirst()
                n += 1
            }
            return n
        }
        if let b = bytes.first, b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                _ = digits()
            }
        }
        if let b = bytes.first, b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
