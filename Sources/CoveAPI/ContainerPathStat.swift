import Foundation

/// Docker's `X-Docker-Container-Path-Stat` header: what a path in a container is, as base64 of
/// `{"name","size","mode","mtime","linkTarget"}`. `mode` is Go's `os.FileMode` (type bits at the
/// top, which the docker CLI tests for directories and symlinks), `linkTarget` a symlink's
/// target resolved inside the container.
public struct ContainerPathStat: Codable, Equatable, Sendable {
    public var name: String
    public var size: Int64
    public var mode: UInt32
    public var mtime: String
    public var linkTarget: String

    public static let headerName = "X-Docker-Container-Path-Stat"
    /// Go's `os.ModeDir` and `os.ModeSymlink`.
    public static let directoryBit: UInt32 = 1 << 31
    public static let symlinkBit: UInt32 = 1 << 27

    public init(name: String, size: Int64, mode: UInt32, mtime: String, linkTarget: String) {
        self.name = name
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkTarget = linkTarget
    }

    public var isDirectory: Bool { mode & Self.directoryBit != 0 }
    public var isSymlink: Bool { mode & Self.symlinkBit != 0 }

    /// The header's value.
    public var headerValue: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data("{}".utf8)).base64EncodedString()
    }

    /// The value a header holds, or nil when it is not one.
    public init?(headerValue: String) {
        guard let data = Data(base64Encoded: headerValue),
            let value = try? JSONDecoder().decode(ContainerPathStat.self, from: data)
        else { return nil }
        self = value
    }
}
