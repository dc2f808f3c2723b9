import CoveCompose
import CoveCore
import Foundation

/// The `--since` and `--until` values of `system events` and `container logs`, as the docker
/// CLI reads them, turned into the API's Unix seconds.
enum TimeArgument {
    /// Unix seconds as given, an RFC 3339 time, or a Go duration before `now` (`10m`).
    static func timestamp(_ text: String, now: Date) throws(CoveError) -> String {
        if Double(text) != nil { return text }
        if let nanoseconds = Units.parseDuration(text), nanoseconds >= 0 {
            return String(format: "%.9f", now.timeIntervalSince1970 - Double(nanoseconds) / 1e9)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) ?? plain.date(from: text) else {
            throw CoveError(.invalidInput, "invalid time \(text): expected Unix seconds, RFC 3339 or a duration")
        }
        return String(format: "%.9f", date.timeIntervalSince1970)
    }
}
