import CoveAPI
import CoveCore
import CoveLinux
import Foundation

extension ContainerPathStat {
    init(name: String, status: FileStatus, linkTarget: String) {
        self.init(
            name: name, size: status.size, mode: Self.goFileMode(status),
            mtime: Timestamp.rfc3339Nano(seconds: status.modificationTime, nanoseconds: status.modificationNanoseconds),
            linkTarget: linkTarget)
    }

    /// Go's `os.FileMode` for a file: permissions, and `ModeDir`, `ModeSymlink`, … at the top.
    static func goFileMode(_ status: FileStatus) -> UInt32 {
        var mode = status.mode & 0o777
        switch status.kind {
        case .directory: mode |= directoryBit
        case .symlink: mode |= symlinkBit
        case .blockDevice: mode |= 1 << 26
        case .characterDevice: mode |= 1 << 26 | 1 << 21
        case .fifo: mode |= 1 << 25
        case .socket: mode |= 1 << 24
        case .regular, .hardlink: break
        }
        if status.mode & 0o4000 != 0 { mode |= 1 << 23 }
        if status.mode & 0o2000 != 0 { mode |= 1 << 22 }
        if status.mode & 0o1000 != 0 { mode |= 1 << 20 }
        return mode
    }
}

/// A path as `docker cp` names it in a container, found in the container's root the way Docker
/// finds it: symlinks in the parents are followed (inside the root), the last component only
/// when the path ends in `/` or `/.`. `..` never leaves the root.
struct ContainerPathLookup {
    /// Where the path leads inside the root.
    var path: RootedPath
    var status: FileStatus
    /// The name the archive's top entry gets: the path's last component (`.` for `dir/.`).
    var name: String
    var stat: ContainerPathStat

    /// Nil when nothing is there.
    init?(_ raw: String, in root: RootedDirectory) throws(CoveError) {
        let cleaned = RootedPath(raw)
        let followLast = raw.hasSuffix("/") || raw.hasSuffix("/.") || raw == "."
        let resolved: RootedPath?
        if followLast || cleaned.isRoot {
            resolved = try root.resolve(cleaned)
        } else {
            resolved = try root.resolve(cleaned.parent).map { $0.appending(cleaned.name) }
        }
        guard let resolved, let status = try root.status(resolved) else { return nil }
        path = resolved
        name = raw.hasSuffix("/.") || raw == "." ? "." : cleaned.isRoot ? "/" : cleaned.name
        var linkTarget = ""
        if status.kind == .symlink {
            linkTarget = try root.resolve(resolved).map { "/" + $0.components.joined(separator: "/") } ?? ""
        }
        self.status = status
        stat = ContainerPathStat(name: name, status: status, linkTarget: linkTarget)
    }
}
