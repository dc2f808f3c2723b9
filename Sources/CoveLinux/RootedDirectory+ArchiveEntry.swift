import CoveCore

extension FileMetadata {
    /// An archive entry's owner, mode, times and extended attributes, leaving out overlayfs's own
    /// (`trusted.overlay.*`, which only the snapshot code sets); `owner` replaces the entry's.
    public init(entry: ArchiveEntry, owner: (uid: UInt32, gid: UInt32)? = nil) throws(CoveError) {
        guard let uid = UInt32(exactly: entry.uid), let gid = UInt32(exactly: entry.gid), uid != .max, gid != .max
        else {
            throw CoveError(.invalidInput, "owner \(entry.uid):\(entry.gid) is out of range")
        }
        self.init(
            uid: owner?.uid ?? uid, gid: owner?.gid ?? gid, mode: entry.mode, modificationTime: entry.modificationTime,
            modificationNanoseconds: entry.modificationNanoseconds,
            xattrs: entry.xattrs.filter { !$0.name.hasPrefix("trusted.overlay.") })
    }
}

extension RootedDirectory {
    /// Writes one archive entry at `path`: a directory, a file (its data read from `reader`), a
    /// symlink, a device node or a FIFO, with `metadata`; a socket is skipped. A hard link is
    /// made by `link`, since each caller resolves link targets its own way. Returns a
    /// directory's times, to be set once its content is written.
    public func place(
        _ entry: ArchiveEntry, at path: RootedPath, metadata: FileMetadata, reader: ArchiveReader,
        link: (RootedPath) throws(CoveError) -> Void
    ) throws(CoveError) -> (RootedPath, Int64, Int64)? {
        switch entry.kind {
        case .directory:
            try createDirectory(path)
            try setMetadata(path, metadata)
            return (path, entry.modificationTime, entry.modificationNanoseconds)
        case .regular:
            let file = try createFile(path)
            try reader.readBlocks { (block, offset) throws(CoveError) in try file.write(block, at: offset) }
            try file.finish(size: entry.size, metadata: metadata)
        case .symlink:
            try createSymlink(path, target: entry.linkTarget ?? "")
            try setMetadata(path, metadata, isSymlink: true)
        case .hardlink:
            try link(path)
        case .characterDevice, .blockDevice, .fifo:
            let kind: NodeKind =
                entry.kind == .fifo ? .fifo : entry.kind == .blockDevice ? .blockDevice : .characterDevice
            try createNode(path, kind: kind, major: entry.deviceMajor, minor: entry.deviceMinor)
            try setMetadata(path, metadata)
        case .socket:
            break
        }
        return nil
    }
}
