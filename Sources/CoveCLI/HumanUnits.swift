import CoveAPI
import Foundation

/// Sizes and durations written as the docker CLI writes them (go-units `HumanSizeWithPrecision`
/// and `HumanDuration`).
enum HumanUnits {
    /// `size` in decimal units with `precision` significant digits: "512B", "1.02kB", "10.5MB"
    /// (docker's tables use 3, its "Total reclaimed space" 4).
    static func size(_ size: Int64, precision: Int = 3) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = Double(size)
        var index = 0
        while value >= 1000, index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return String(format: "%.\(precision)g", value) + units[index]
    }

    /// A duration as "Less than a second", "3 seconds", "About a minute", "5 minutes", "About an hour",
    /// "7 hours", "3 days", "2 weeks", "4 months" or "2 years".
    static func duration(seconds elapsed: Double) -> String {
        let seconds = Int(elapsed)
        if seconds < 1 { return "Less than a second" }
        if seconds == 1 { return "1 second" }
        if seconds < 60 { return "\(seconds) seconds" }
        let minutes = Int(elapsed / 60)
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int(elapsed / 3600 + 0.5)
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int(elapsed / 3600) / 24 / 365) years"
    }

    /// Go's `time.Time.String()` for a Unix time, in UTC: "2024-05-01 12:34:56 +0000 UTC".
    static func goTime(unixSeconds: Int64) -> String {
        let stamp = Timestamp.rfc3339Nano(seconds: unixSeconds, nanoseconds: 0)
        return stamp.dropLast().replacingOccurrences(of: "T", with: " ") + " +0000 UTC"
    }
}

/// Columns aligned as Go's `tabwriter` aligns docker's tables (minimum width 10, padding 3): every
/// column but the last is padded to its widest cell plus three spaces.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(header: [String]) {
        self.header = header
    }

    /// The header and the rows, one line each.
    var text: String {
        let lines = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for line in lines {
            for (index, cell) in line.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var out = ""
        for line in lines {
            var text = ""
            for (index, cell) in line.enumerated() {
                if index == line.count - 1 {
                    text += cell
                } else {
                    let width = max(10, widths[index] + 3)
                    text += cell + String(repeating: " ", count: max(0, width - cell.count))
                }
            }
            out += text + "\n"
        }
        return out
    }
}
