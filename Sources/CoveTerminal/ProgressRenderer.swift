import CoveAPI
import CoveCore

/// Shows a pull's or a push's progress stream: bars redrawn in place on a terminal
/// (`TerminalProgressRenderer`), or one plain line per change of state otherwise
/// (`PlainProgressRenderer`). Both remember the stream's failure, if it reports one.
public protocol ProgressRenderer {
    /// Shows one message.
    mutating func render(_ message: ProgressMessage)
    /// The failure the stream reported (its `error` line), if any.
    var failure: String? { get }
}

/// One line per state change of each layer (`a3ed95caeb02: Pull complete`) and each message
/// without a layer id as is; transfer progress is not repeated.
public struct PlainProgressRenderer: ProgressRenderer {
    private let write: (String) -> Void
    private var lastStatus: [String: String] = [:]
    public private(set) var failure: String?

    /// - Parameter write: receives each line, with its newline.
    public init(write: @escaping (String) -> Void) {
        self.write = write
    }

    public mutating func render(_ message: ProgressMessage) {
        if let error = message.errorDetail?.message ?? message.error {
            failure = error
            return
        }
        guard let status = message.status else { return }
        guard let id = message.id, !id.isEmpty else {
            write(status + "\n")
            return
        }
        guard lastStatus[id] != status else { return }
        lastStatus[id] = status
        write("\(id): \(status)\n")
    }
}

/// Docker's terminal display: one line per layer id, rewritten in place (cursor moves), with a bar
/// for transfers (`a3ed95caeb02: Downloading [=====>      ]  1.2MB/3.4MB`).
public struct TerminalProgressRenderer: ProgressRenderer {
    private let write: (String) -> Void
    private let barWidth: Int
    /// The line each id is shown on, counted from the first line written.
    private var lines: [String: Int] = [:]
    private var printed = 0
    public private(set) var failure: String?

    public init(barWidth: Int = 50, write: @escaping (String) -> Void) {
        self.barWidth = barWidth
        self.write = write
    }

    public mutating func render(_ message: ProgressMessage) {
        if let error = message.errorDetail?.message ?? message.error {
            failure = error
            return
        }
        guard let status = message.status else { return }
        guard let id = message.id, !id.isEmpty else {
            write(status + "\n")
            printed += 1
            return
        }
        var text = "\(id): \(status)"
        if let detail = message.progressDetail, let current = detail.current {
            text += " " + ProgressBar.text(current: current, total: detail.total, width: barWidth)
        }
        guard let line = lines[id] else {
            lines[id] = printed
            printed += 1
            write(text + "\n")
            return
        }
        let up = printed - line
        // Up to the id's line, clear it, write, and back down.
        write("\u{1B}[\(up)A\r\u{1B}[2K\(text)\r\u{1B}[\(up)B")
    }
}

/// The bar of a transfer, as Docker draws it: `[=====>      ]  1.2MB/3.4MB`.
public enum ProgressBar {
    public static func text(current: Int64, total: Int64?, width: Int) -> String {
        guard let total, total > 0 else { return ByteCount.decimal(current) }
        let done = min(width, Int(Double(width) * Double(min(current, total)) / Double(total)))
        var bar = String(repeating: "=", count: done)
        if done < width {
            bar += ">" + String(repeating: " ", count: width - done - 1)
        }
        return "[\(bar)]  \(ByteCount.decimal(current))/\(ByteCount.decimal(total))"
    }
}

/// Sizes as Docker's progress shows them: decimal units with up to four significant digits (`1.23MB`).
public enum ByteCount {
    public static func decimal(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes)B" }
        let rounded = (value * 100).rounded() / 100
        var text = String(rounded)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text + units[unit]
    }
}
