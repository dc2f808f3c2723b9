import CoveCore

/// A file holding a process id in decimal and a newline, as daemons write under their state root.
public struct PidFile: Sendable {
    /// The file's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Writes `pid` atomically (mode 0644): readers never see a partial number.
    public func write(pid: Int32) throws(CoveError) {
        try AtomicFile.write(Array("\(pid)\n".utf8), to: path, mode: 0o644)
    }

    /// The pid in the file, or `nil` when the file is missing, unreadable or holds no positive number.
    public func read() -> Int32? {
        guard let bytes = try? AtomicFile.read(path, limit: 32) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard let pid = Int32(text), pid > 0 else { return nil }
        return pid
    }

    /// Removes the file; a file that is already gone is not an error.
    public func remove() throws(CoveError) {
        try AtomicFile.remove(path)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
