import CoveCore

/// Writes a directory tree into a tar archive: `docker export`, `docker cp` out of a container,
/// and a container's upper directory turned into an image layer by `commit`.
///
/// The tree is read with `DirectoryTree`, so nothing in it is followed. Regular files that are
/// hard links of one another are stored once, then as hard links to the first name. Sockets are
/// skipped (tar cannot hold them), as are overlayfs's own `trusted.overlay.*` xattrs.
public enum TreeArchiver {
    /// How the tree's files become entries.
    public enum Layout: Sendable {
        /// Each file as it is.
        case plain
        /// An overlayfs upper directory as an OCI layer: a whiteout (character device 0/0)
        /// becomes an empty `.wh.<name>` file, an opaque directory (`trusted.overlay.opaque=y`)
        /// gets an empty `.wh..wh..opq` file inside it.
        case layer
    }

    static let opaqueAttribute = "trusted.overlay.opaque"

    /// Archives `start` (inside `root`, its last component not followed) and, for a directory,
    /// everything below it. Entries are named `prefix/<path below start>`; with an empty prefix
    /// the start itself is left out and its contents are named from the top (`bin/sh`).
    /// `owner`, when given, replaces every file's owner (`docker cp` into a container without
    /// `-a` sends root's). Paths below `start` listed in `excluding` (`/etc/hosts`) are left
    /// out with what is under them. False when `start` does not exist.
    @discardableResult
    public static func write(
        _ root: RootedDirectory, from start: RootedPath, prefix: String, layout: Layout = .plain,
        owner: (uid: UInt32, gid: UInt32)? = nil, excluding: Set<String> = [], to writer: ArchiveWriter
    ) throws(CoveError) -> Bool {
        var firstNames: [FileIdentity: String] = [:]
        return try DirectoryTree.walk(root, from: start) { (item) throws(CoveError) in
            guard !(item.path.isEmpty && prefix.isEmpty) else { return true }
            if !excluding.isEmpty, excluding.contains("/" + item.path.joined(separator: "/")) { return false }
            let name = ([prefix].filter { !$0.isEmpty } + item.path).joined(separator: "/")
            var status = item.status
            if let owner {
                status.uid = owner.uid
                status.gid = owner.gid
            }
            if layout == .layer, status.isWhiteout, let hidden = item.path.last {
                let whiteout = (name.split(separator: "/").dropLast().map(String.init) + [".wh." + hidden])
                try writer.write(
                    ArchiveEntry(
                        path: whiteout.joined(separator: "/"), kind: .regular, mode: 0, uid: Int64(status.uid),
                        gid: Int64(status.gid), modificationTime: status.modificationTime))
                return false
            }
            if status.kind == .socket { return false }
            var entry = ArchiveEntry(
                path: name, kind: status.kind, mode: status.mode, uid: Int64(status.uid), gid: Int64(status.gid),
                size: status.kind == .regular ? status.size : 0, modificationTime: status.modificationTime,
                modificationNanoseconds: status.modificationNanoseconds, deviceMajor: status.deviceMajor,
                deviceMinor: status.deviceMinor)
            let attributes = try item.extendedAttributes()
            entry.xattrs = attributes.filter { !$0.name.hasPrefix("trusted.overlay.") }
            if status.kind == .symlink { entry.linkTarget = try item.linkTarget() }
            if status.kind == .regular, status.linkCount > 1 {
                let identity = FileIdentity(device: status.device, inode: status.inode)
                if let first = firstNames[identity] {
                    entry.kind = .hardlink
                    entry.linkTarget = first
                    entry.size = 0
                    try writer.writeHeader(entry)
                    return false
                }
                firstNames[identity] = name
            }
            if status.kind == .regular {
                try writeFile(item, entry, to: writer)
            } else {
                try writer.writeHeader(entry)
            }
            let opaque = attributes.contains { $0.name == opaqueAttribute && $0.value == Array("y".utf8) }
            if layout == .layer, status.kind == .directory, opaque {
                try writer.write(
                    ArchiveEntry(
                        path: name + "/.wh..wh..opq", kind: .regular, mode: 0, modificationTime: status.modificationTime
                    ))
            }
            return true
        }
    }

    /// Writes a regular file's header and exactly its recorded size of data: a file that grew
    /// while being read is cut, one that shrank is padded with zeros, so the archive stays valid.
    private static func writeFile(_ item: DirectoryTree.Item, _ entry: ArchiveEntry, to writer: ArchiveWriter)
        throws(CoveError)
    {
        try writer.writeHeader(entry)
        var left = entry.size
        try item.readContents { (bytes) throws(CoveError) in
            guard left > 0 else { return }
            let part = UnsafeRawBufferPointer(rebasing: bytes.prefix(Int(min(Int64(bytes.count), left))))
            try writer.writeData(part)
            left -= Int64(part.count)
        }
        let zeros = [UInt8](repeating: 0, count: 65536)
        while left > 0 {
            let count = Int(min(left, Int64(zeros.count)))
            let result = zeros.withUnsafeBytes { buffer in
                Result { () throws(CoveError) in
                    try writer.writeData(UnsafeRawBufferPointer(rebasing: buffer.prefix(count)))
                }
            }
            try result.get()
            left -= Int64(count)
        }
    }

    private struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }
}
