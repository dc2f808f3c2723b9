import CCoveLinux
import CoveCore
import Glibc

/// Copies a directory tree that lives inside another root (a container's root file system) into a
/// `RootedDirectory`, as Docker fills a new volume from the image's content at its mount point.
///
/// The source directory is resolved with `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)`, so a
/// symlink in the image cannot lead outside its root; below it every entry is opened relative to
/// its parent with `O_NOFOLLOW`, and symlinks are copied as symlinks, never followed. Owners,
/// modes, extended attributes and times are kept; files linked several times inside the tree are
/// linked again in the copy; sockets are skipped.
public enum TreeCopy {
    /// Copies the content of `path` (resolved inside `root`) into `target`, and gives `target`'s
    /// own directory the owner and mode of `path`. Returns false, copying nothing, when `path` is
    /// missing or is not a directory.
    @discardableResult
    public static func copyContents(of path: String, inside root: String, into target: RootedDirectory)
        throws(CoveError) -> Bool
    {
        let opened = retryingOnInterrupt { open(root, cove_o_path | O_DIRECTORY | O_CLOEXEC) }
        guard opened.result >= 0 else { throw .systemCall("open", errno: opened.errno, "cannot open \(root)") }
        defer { close(opened.result) }
        let flags = UInt64(UInt32(bitPattern: O_RDONLY | O_DIRECTORY | O_CLOEXEC))
        let source = cove_openat2(opened.result, path, flags, 0, cove_resolve_in_root | cove_resolve_no_magiclinks)
        guard source >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return false }
            throw .systemCall("openat2", errno: errno, "cannot open \(path) in \(root)")
        }
        defer { close(source) }
        var links: [Inode: RootedPath] = [:]
        try copyChildren(of: source, described: path, into: target, at: RootedPath(""), links: &links)
        var info = stat()
        guard fstat(source, &info) == 0 else { throw .systemCall("fstat", errno: errno, "cannot inspect \(path)") }
        try target.setMetadata(RootedPath(""), metadata(info, xattrs: try attributes("/proc/self/fd/\(source)")))
        return true
    }

    /// A file's identity, to find its other names.
    private struct Inode: Hashable {
        var device: UInt64
        var number: UInt64
    }

    private static func copyChildren(
        of directory: Int32, described: String, into target: RootedDirectory, at destination: RootedPath,
        links: inout [Inode: RootedPath]
    ) throws(CoveError) {
        for name in try directoryNames(directory, described: described) {
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw .systemCall("fstatat", errno: errno, "cannot inspect \(described)/\(name)")
            }
            let path = destination.appending(name)
            let procPath = "/proc/self/fd/\(directory)/\(name)"
            let meta = metadata(info, xattrs: try attributes(procPath))
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let child = retryingOnInterrupt {
                    openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                guard child.result >= 0 else {
                    throw .systemCall("openat", errno: child.errno, "cannot open \(described)/\(name)")
                }
                defer { close(child.result) }
                try target.createDirectory(path)
                try copyChildren(
                    of: child.result, described: "\(described)/\(name)", into: target, at: path, links: &links)
                try target.setMetadata(path, meta)
            case S_IFREG:
                if info.st_nlink > 1 {
                    let inode = Inode(device: UInt64(info.st_dev), number: UInt64(info.st_ino))
                    if let first = links[inode] {
                        try target.createHardLink(path, to: first, in: target)
                        continue
                    }
                    links[inode] = path
                }
                try copyFile(directory, name, described: described, to: target, path, meta)
            case S_IFLNK:
                try target.createSymlink(path, target: try linkTarget(directory, name, described: described))
                try target.setMetadata(path, meta, isSymlink: true)
            case S_IFIFO, S_IFCHR, S_IFBLK:
                let kind: RootedDirectory.NodeKind =
                    info.st_mode & S_IFMT == S_IFIFO
                    ? .fifo : info.st_mode & S_IFMT == S_IFCHR ? .characterDevice : .blockDevice
                try target.createNode(
                    path, kind: kind, major: cove_major(UInt64(info.st_rdev)), minor: cove_minor(UInt64(info.st_rdev)))
                try target.setMetadata(path, meta)
            default:
                continue
            }
        }
    }

    private static func copyFile(
        _ directory: Int32, _ name: String, described: String, to target: RootedDirectory,
        _ path: RootedPath, _ meta: FileMetadata
    ) throws(CoveError) {
        let opened = retryingOnInterrupt { openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard opened.result >= 0 else {
            throw .systemCall("openat", errno: opened.errno, "cannot open \(described)/\(name)")
        }
        defer { close(opened.result) }
        let file = try target.createFile(path)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { read(opened.result, bytes.baseAddress, bytes.count) }
            }
            guard count.result >= 0 else {
                throw .systemCall("read", errno: count.errno, "cannot read \(described)/\(name)")
            }
            if count.result == 0 { break }
            let written: Result<Void, CoveError> = buffer.withUnsafeBytes { bytes in
                do throws(CoveError) {
                    try file.write(UnsafeRawBufferPointer(rebasing: bytes.prefix(count.result)), at: offset)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try written.get()
            offset += Int64(count.result)
        }
        try file.finish(size: offset, metadata: meta)
    }

    private static func linkTarget(_ directory: Int32, _ name: String, described: String) throws(CoveError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(directory, name, &buffer, buffer.count - 1)
        guard count >= 0 else { throw .systemCall("readlinkat", errno: errno, "cannot read \(described)/\(name)") }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The extended attributes of `path` (its last component not followed).
    private static func attributes(_ path: String) throws(CoveError) -> [ExtendedAttribute] {
        var names = [CChar](repeating: 0, count: 65536)
        let length = llistxattr(path, &names, names.count)
        guard length >= 0 else {
            if errno == ENOTSUP || errno == EOPNOTSUPP { return [] }
            throw .systemCall("llistxattr", errno: errno, "cannot list the xattrs of \(path)")
        }
        var result: [ExtendedAttribute] = []
        for raw in names.prefix(length).split(separator: 0) {
            let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let attribute = try ExtendedAttribute.read(name, of: path) { result.append(attribute) }
        }
        return result
    }

    private static func metadata(_ info: stat, xattrs: [ExtendedAttribute]) -> FileMetadata {
        FileMetadata(
            uid: info.st_uid, gid: info.st_gid, mode: info.st_mode & 0o7777,
            modificationTime: Int64(info.st_mtim.tv_sec), modificationNanoseconds: Int64(info.st_mtim.tv_nsec),
            xattrs: xattrs)
    }
}
