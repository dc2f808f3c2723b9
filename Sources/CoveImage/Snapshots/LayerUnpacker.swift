import CoveCore
import CoveLinux

/// Applies one layer's tar entries to an empty snapshot directory, in overlayfs's format.
///
/// Every name is resolved inside the target by `RootedDirectory` (`openat2` with
/// `RESOLVE_IN_ROOT`), so `../` names, absolute names and symlinks planted by earlier entries all
/// land inside it; hard links are made only to files inside the target or inside a lower
/// layer's snapshot. Owners, modes (setuid, setgid, sticky), times, device numbers and xattrs
/// are kept, except `trusted.overlay.*` xattrs, which would let a layer steer overlayfs itself
/// (redirects, metacopy) and are dropped. Sockets are skipped, as Docker does.
///
/// Whiteouts become what overlayfs reads in a lower directory: `.wh.name` a 0/0 character
/// device at `name`, `.wh..wh..opq` the `trusted.overlay.opaque=y` xattr on its directory
/// (so this needs root: `CAP_MKNOD` and `CAP_SYS_ADMIN`). Other `.wh..wh.` names (aufs
/// hard-link bookkeeping) are skipped.
struct LayerUnpacker {
    /// The snapshot being written.
    let target: RootedDirectory
    /// The snapshots below, top-most first: where hard links to files of earlier layers point.
    let lowers: [RootedDirectory]

    static let whiteoutPrefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    /// Reads every entry of `reader` and creates it; directory times are set last, since
    /// creating their contents changes them.
    func apply(_ reader: ArchiveReader) throws(CoveError) {
        var directoryTimes: [(RootedPath, Int64, Int64)] = []
        while let entry = try reader.next() {
            do {
                if let time = try apply(entry, reader) { directoryTimes.append(time) }
            } catch {
                var error = error
                // A name the archive expects to exist (a parent through a dangling symlink, a
                // link target) is the archive's fault; other failures are the disk's.
                if error.code == .notFound { error.code = .invalidInput }
                if error.code != .invalidInput { error.code = .io }
                error.message = "\(reader.name): entry \(String(reflecting: entry.path)): \(error.message)"
                throw error
            }
        }
        for (path, seconds, nanoseconds) in directoryTimes.reversed() {
            do {
                try target.setTimes(path, seconds, nanoseconds)
            } catch  where error.code == .notFound {
                continue  // removed by a later entry of the same layer
            }
        }
    }

    /// Creates one entry; returns a directory's time, to be set at the end.
    private func apply(_ entry: ArchiveEntry, _ reader: ArchiveReader) throws(CoveError) -> (RootedPath, Int64, Int64)?
    {
        let path = RootedPath(entry.path)
        if path.name.hasPrefix(Self.whiteoutPrefix) {
            try applyWhiteout(path)
            return nil
        }
        return try target.place(entry, at: path, metadata: try FileMetadata(entry: entry), reader: reader) {
            (path) throws(CoveError) in try link(path, to: RootedPath(entry.linkTarget ?? ""))
        }
    }

    /// `.wh.name` hides `name` of the lower layers; `.wh..wh..opq` hides all of its directory's.
    private func applyWhiteout(_ path: RootedPath) throws(CoveError) {
        let directory = path.parent
        if path.name == Self.opaqueMarker {
            try target.createDirectory(directory)
            try target.setExtendedAttribute(
                directory, ExtendedAttribute(name: "trusted.overlay.opaque", value: Array("y".utf8)))
            return
        }
        if path.name.hasPrefix(Self.whiteoutPrefix + Self.whiteoutPrefix) { return }
        let hidden = String(path.name.dropFirst(Self.whiteoutPrefix.count))
        guard !hidden.isEmpty, hidden != ".", hidden != ".." else {
            throw CoveError(.invalidInput, "invalid whiteout name \(String(reflecting: path.name))")
        }
        let whiteout = directory.appending(hidden)
        try target.createNode(whiteout, kind: .characterDevice, major: 0, minor: 0)
        try target.setMetadata(whiteout, FileMetadata(uid: 0, gid: 0, mode: 0, modificationTime: 0))
    }

    /// A hard link to a file of this layer, or else of the top-most lower layer that has it.
    private func link(_ path: RootedPath, to linkTarget: RootedPath) throws(CoveError) {
        if try target.exists(linkTarget) {
            return try target.createHardLink(path, to: linkTarget, in: target)
        }
        for lower in lowers where try lower.exists(linkTarget) {
            return try target.createHardLink(path, to: linkTarget, in: lower)
        }
        throw CoveError(
            .invalidInput,
            "hard link to \(String(reflecting: "/\(linkTarget)")), which neither this layer nor a lower one holds")
    }
}
