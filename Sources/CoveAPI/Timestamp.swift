/// Times as the Docker API writes them: RFC 3339 in UTC with up to nine fraction digits,
/// trailing zeros dropped (Go's `time.RFC3339Nano`), e.g. "2024-05-01T12:34:56.5Z".
public enum Timestamp {
    /// Formats a moment given as whole seconds since 1970-01-01T00:00:00Z and nanoseconds (0 ..< 1e9).
    public static func rfc3339Nano(seconds: Int64, nanoseconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text =
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        let nanos = min(max(nanoseconds, 0), 999_999_999)
        if nanos > 0 {
            var fraction = pad(nanos, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// Formats seconds since 1970 given as a floating-point number (as `Date.timeIntervalSince1970`).
    public static func rfc3339Nano(secondsSince1970 interval: Double) -> String {
        let whole = interval.rounded(.down)
        let nanos = Int64(((interval - whole) * 1e9).rounded())
        return nanos >= 1_000_000_000
            ? rfc3339Nano(seconds: Int64(whole) + 1, nanoseconds: 0)
            : rfc3339Nano(seconds: Int64(whole), nanoseconds: nanos)
    }

    /// The proleptic Gregorian date of a day number (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
