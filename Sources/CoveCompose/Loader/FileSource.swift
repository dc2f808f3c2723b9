import CoveCore
import Foundation

/// Where the loader's files come from: the disk, or standard input for `-f -`.
/// The one place the loader touches the file system.
public struct FileSource: Sendable {
    /// Reads standard input once, when a file is named `-`.
    public var readStandardInput: @Sendable () -> String?

    public init(readStandardInput: @escaping @Sendable () -> String? = { FileSource.readAllStandardInput() }) {
        self.readStandardInput = readStandardInput
    }

    public static func readAllStandardInput() -> String? {
        String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8)
    }

    /// The text of a file, with clear errors for a missing file, a directory or an
    /// unreadable file.
    public func read(_ path: String, what: String = "compose file") throws(CoveError) -> String {
        if path == "-" {
            guard let text = readStandardInput() else {
                throw CoveError(.io, "cannot read the \(what) from standard input")
            }
            return text
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CoveError(.notFound, "\(what) not found", at: SourceLocation(file: path))
        }
        if isDirectory.boolValue {
            throw CoveError(.invalidInput, "\(what) is a directory, not a file", at: SourceLocation(file: path))
        }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path)
        else {
            throw CoveError(.io, "cannot read the \(what): permission denied", at: SourceLocation(file: path))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CoveError(.invalidInput, "\(what) is not UTF-8 text", at: SourceLocation(file: path))
        }
        return text
    }

    public func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Finds the compose file as Docker Compose does: `compose.yaml`, `compose.yml`,
    /// `docker-compose.yaml`, `docker-compose.yml` in `directory` or the nearest parent,
    /// with its `.override` companion when there is one.
    /// `ignored` lists the other candidates found beside the chosen one.
    public func discover(from directory: String) -> (files: [String], ignored: [String])? {
        var dir = PathResolver.clean(directory)
        while true {
            let prefix = dir == "/" ? "" : dir
            let present = FileSource.candidates.filter { isFile(prefix + "/" + $0) }
            if let name = present.first {
                let path = prefix + "/" + name
                let dot = name.lastIndex(of: ".") ?? name.endIndex
                let overridePath = prefix + "/" + name[..<dot] + ".override" + name[dot...]
                let ignored = present.dropFirst().map { prefix + "/" + $0 }
                return (isFile(overridePath) ? [path, overridePath] : [path], Array(ignored))
            }
            if dir == "/" { return nil }
            dir = PathResolver.directory(of: dir)
        }
    }

    public static let candidates = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]
}
