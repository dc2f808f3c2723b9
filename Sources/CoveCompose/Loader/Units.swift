/// Durations and byte sizes as Compose reads and prints them.
public enum Units {
    /// Parses a Go duration (`1m30s`, `1.5s`, `300ms`, `2h45m`) into nanoseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        var total = 0.0
        while !s.isEmpty {
            var number = ""
            while let c = s.first, c.isASCII, c.isNumber || c == "." {
                number.append(c)
                s = s.dropFirst()
            }
            guard let value = Double(number) else { return nil }
            var unit = ""
            while let c = s.first, !(c.isASCII && (c.isNumber || c == ".")) {
                unit.append(c)
                s = s.dropFirst()
            }
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
        }
        guard total < 9.2e18 else { return nil }
        let ns = Int64(total.rounded())
        return negative ? -ns : ns
    }

    /// Formats nanoseconds as Go's `time.Duration.String()` does (`1m30s`, `1.5s`, `1h0m0s`).
    static func formatDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let u = nanoseconds.magnitude
        var out: String
        if u < 1_000_000_000 {
            let (unit, divisor): (String, UInt64) =
                u < 1_000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            out = fraction(u, divisor) + unit
        } else {
            let hours = u / 3_600_000_000_000
            let minutes = (u / 60_000_000_000) % 60
            let rest = u % 60_000_000_000
            out = fraction(rest, 1_000_000_000) + "s"
            if hours > 0 || minutes > 0 { out = "\(minutes)m" + out }
            if hours > 0 { out = "\(hours)h" + out }
        }
        return negative ? "-" + out : out
    }

    private static func fraction(_ value: UInt64, _ divisor: UInt64) -> String {
        let whole = value / divisor
        var rest = value % divisor
        guard rest > 0 else { return String(whole) }
        var digits = ""
        var d = divisor
        while rest > 0 && d > 1 {
            d /= 10
            digits.append(String(rest / d))
            rest %= d
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// Parses a byte size as Docker does (`512m`, `1g`, `64M`, `1.5GiB`, `1024`), powers of 1024.
    static func parseBytes(_ text: String) -> Int64? {
        let lower = text.trimmingTrailingSpaces().lowercased()
        var numberPart = ""
        var unitPart = ""
        for c in lower {
            if unitPart.isEmpty, c.isASCII, c.isNumber || c == "." {
                numberPart.append(c)
            } else if c != " " || !unitPart.isEmpty {
                unitPart.append(c)
            }
        }
        guard let value = Double(numberPart), value >= 0 else { return nil }
        let exponent: Double
        switch unitPart {
        case "", "b": exponent = 0
        case "k", "kb", "kib": exponent = 1
        case "m", "mb", "mib": exponent = 2
        case "g", "gb", "gib": exponent = 3
        case "t", "tb", "tib": exponent = 4
        case "p", "pb", "pib": exponent = 5
        default: return nil
        }
        let bytes = value * pow1024(exponent)
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }

    private static func pow1024(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e {
            r *= 1024
            i += 1
        }
        return r
    }
}
