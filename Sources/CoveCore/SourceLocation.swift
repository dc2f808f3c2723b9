/// A position in a source file: `file:line:col`, both numbers 1-based.
///
/// A line of 0 means the position inside the file is unknown (the whole file is meant).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location for values that come from no file (defaults, command-line flags).
    public static let synthesized = SourceLocation(file: "")

    /// True when the location names a file.
    public var isKnown: Bool { !file.isEmpty }

    public var description: String {
        guard isKnown else { return "<generated>" }
        guard line > 0 else { return file }
        return "\(file):\(line):\(column)"
    }
}
