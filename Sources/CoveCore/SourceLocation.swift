import Synchronization

/// A position in a source file: `file:line:col`, both numbers 1-based.
///
/// A line of 0 means the position inside the file is unknown (the whole file is meant).
/// Every value the loader reads carries one, so the file name is interned: a location
/// is three integers, and copying it costs no reference counting.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// An interned file name.
    public struct FileID: Sendable, Hashable {
        let index: UInt32
    }

    public var fileID: FileID
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.init(fileID: SourceLocation.intern(file), line: line, column: column)
    }

    public init(fileID: FileID, line: Int = 0, column: Int = 0) {
        self.fileID = fileID
        self.line = line
        self.column = column
    }

    /// The file's path as given ("" for generated values).
    public var file: String {
        get { FileTable.shared.withLock { $0.names[Int(fileID.index)] } }
        set { fileID = SourceLocation.intern(newValue) }
    }

    /// The id of a file name, the same for equal names.
    public static func intern(_ file: String) -> FileID {
        if file.isEmpty { return FileID(index: 0) }
        return FileTable.shared.withLock { table in
            if let index = table.ids[file] { return FileID(index: index) }
            let index = UInt32(table.names.count)
            table.names.append(file)
            table.ids[file] = index
            return FileID(index: index)
        }
    }

    /// A location for values that come from no file (defaults, command-line flags).
    public static let synthesized = SourceLocation(fileID: FileID(index: 0))

    /// True when the location names a file.
    public var isKnown: Bool { fileID.index != 0 }

    public var description: String {
        guard isKnown else { return "<generated>" }
        guard line > 0 else { return file }
        return "\(file):\(line):\(column)"
    }
}

/// The interned file names; index 0 is the empty name.
private struct FileTable {
    var names: [String] = [""]
    var ids: [String: UInt32] = [:]

    static let shared = Mutex(FileTable())
}
