import CoveAPI
import CoveCore
import CoveLinux

/// A container's changes to its image, read from its overlayfs upper directory as Docker's
/// overlay2 driver reads them (`archive.OverlayChanges`).
///
/// A whiteout (character device 0/0) is a deletion; an opaque directory that a lower layer also
/// has is a deletion (its contents then show as added); anything else is modified when a lower
/// layer has it and added otherwise. A directory a lower layer has with the same mode, size and
/// time is not listed for itself, but the parent of every addition or deletion is listed as
/// modified, once. The list is in walk order (names sorted in each directory), as Docker's.
///
/// The mount points the runtime makes in the upper directory (`/etc/hosts` and the like, which
/// Docker keeps in its init layer) are not changes, nor is a directory that holds only them.
enum ContainerChanges {
    /// Docker's init layer: mount points every container has, left out of diff and commit.
    static let mountPoints: Set<String> = [
        "/dev", "/dev/pts", "/dev/shm", "/dev/console", "/proc", "/sys", "/.dockerenv", "/etc/resolv.conf",
        "/etc/hosts", "/etc/hostname", "/etc/mtab",
    ]

    /// The changes `upper` records over `lowers` (the image's snapshots, top-most first).
    static func compute(upper: String, lowers: [String]) throws(CoveError) -> [ContainerChange] {
        let upperDirectory = try RootedDirectory(path: upper)
        var lowerDirectories: [RootedDirectory] = []
        for lower in lowers { lowerDirectories.append(try RootedDirectory(path: lower)) }
        var changes: [ContainerChange] = []
        var changedDirectories: Set<String> = []
        var holdsChanges: Set<String> = []
        var holdsMountPoints: Set<String> = []
        try DirectoryTree.walk(upperDirectory, from: RootedPath("")) { (item) throws(CoveError) in
            guard !item.path.isEmpty else { return true }
            let path = "/" + item.path.joined(separator: "/")
            if mountPoints.contains(path) {
                holdsMountPoints.insert(parentPath(path))
                return false
            }
            holdsChanges.insert(parentPath(path))
            let status = item.status
            let below = try lowerStatus(RootedPath(path), in: lowerDirectories)
            var kind: ContainerChange.Kind
            if status.isWhiteout {
                kind = .deleted
            } else if status.kind == .directory, below != nil,
                try item.extendedAttribute("trusted.overlay.opaque")?.value == Array("y".utf8)
            {
                kind = .deleted
            } else if let below {
                if status.kind == .directory, below.kind == .directory, status.mode == below.mode,
                    status.size == below.size, sameTime(status, below)
                {
                    return true
                }
                kind = .modified
            } else {
                kind = .added
            }
            if status.kind == .directory { changedDirectories.insert(path) }
            if kind != .modified {
                let parent = parentPath(path)
                if parent != "/", !changedDirectories.contains(parent) {
                    changes.append(ContainerChange(path: parent, kind: .modified))
                    changedDirectories.insert(parent)
                }
            }
            changes.append(ContainerChange(path: path, kind: kind))
            return !status.isWhiteout
        }
        return changes.filter { !holdsMountPoints.contains($0.path) || holdsChanges.contains($0.path) }
    }

    /// What the top-most lower layer that has `path` holds there; nil when none has it or the
    /// top-most one that names it holds a whiteout.
    static func lowerStatus(_ path: RootedPath, in lowers: [RootedDirectory]) throws(CoveError) -> FileStatus? {
        for lower in lowers {
            guard let status = try lower.status(path) else { continue }
            return status.isWhiteout ? nil : status
        }
        return nil
    }

    /// Docker's `sameFsTime`: equal seconds, and equal nanoseconds unless one side has none.
    static func sameTime(_ a: FileStatus, _ b: FileStatus) -> Bool {
        a.modificationTime == b.modificationTime
            && (a.modificationNanoseconds == b.modificationNanoseconds || a.modificationNanoseconds == 0
                || b.modificationNanoseconds == 0)
    }

    static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
