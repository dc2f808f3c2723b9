import CCoveLinux
import CoveCore
import Glibc

/// A directory that every operation stays inside, whatever the names and symlinks it meets.
///
/// Names are cleaned lexically (`RootedPath`), then the directory that holds the name is opened
/// with `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)`: the kernel resolves
/// `..` and absolute symlinks as if this directory were `/`, so a symlink planted by an earlier
/// entry (`etc -> /etc`, `x -> ../../..`) leads back inside. The last component is then created
/// with an `*at` call on that directory and is never followed (`O_NOFOLLOW`, `AT_SYMLINK_NOFOLLOW`):
/// a symlink standing where a file goes is replaced, not written through. No string prefix
/// checks are involved.
///
/// Creating over an existing name replaces it (a directory over a directory is kept), as `tar -x`
/// does. Not thread-safe: one task uses a value.
public final class RootedDirectory {
    /// The directory's path.
    public let path: String
    let descriptor: Int32
    /// The holding directory of the last operation, kept open: consecutive archive entries
    /// mostly share one. Operations change only names inside it, never it or its ancestors.
    private var cachedParent: (path: RootedPath, descriptor: Int32)?

    /// Opens an existing directory.
    public init(path: String) throws(CoveError) {
        let opened = retryingOnInterrupt { open(path, cove_o_path | O_DIRECTORY | O_CLOEXEC) }
        guard opened.result >= 0 else {
            throw .systemCall("open", errno: opened.errno, "cannot open directory \(path)")
        }
        self.path = path
        descriptor = opened.result
    }

    deinit {
        if let cachedParent { close(cachedParent.descriptor) }
        close(descriptor)
    }

    /// Creates a directory, or keeps the directory already there; anything else there is replaced.
    /// Missing parents are created with mode 0755. The new directory has mode 0700 until
    /// `setMetadata` gives it its own.
    public func createDirectory(_ path: RootedPath) throws(CoveError) {
        guard !path.isRoot else { return }
        let parent = try parentDescriptor(of: path, creatingParents: true)
        if mkdirat(parent, path.name, 0o700) == 0 { return }
        let code = errno
        guard code == EEXIST else {
            throw .systemCall("mkdirat", errno: code, "cannot create directory \(describe(path))")
        }
        if try kind(parent, path.name) == .directory { return }
        try removeTree(parent, path.name, path)
        guard mkdirat(parent, path.name, 0o700) == 0 else {
            throw .systemCall("mkdirat", errno: errno, "cannot create directory \(describe(path))")
        }
    }

    /// Creates a regular file (mode 0600 until `NewFile.finish`), replacing what is there.
    public func createFile(_ path: RootedPath) throws(CoveError) -> NewFile {
        let parent = try parentDescriptor(of: path, creatingParents: true)
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let created = try replacing(path, parent, call: "openat") { openat(parent, path.name, flags, 0o600) }
        return NewFile(descriptor: created, name: describe(path))
    }

    /// Creates a symlink to `target` (any text, never followed here), replacing what is there.
    public func createSymlink(_ path: RootedPath, target: String) throws(CoveError) {
        let parent = try parentDescriptor(of: path, creatingParents: true)
        _ = try replacing(path, parent, call: "symlinkat") { symlinkat(target, parent, path.name) }
    }

    /// The kinds of special files `createNode` makes.
    public enum NodeKind: Sendable {
        case characterDevice, blockDevice, fifo
    }

    /// Creates a device node or a fifo (mode 0600 until `setMetadata`), replacing what is there.
    /// A character device 0/0 is an overlayfs whiteout.
    public func createNode(_ path: RootedPath, kind: NodeKind, major: UInt32 = 0, minor: UInt32 = 0) throws(CoveError) {
        let parent = try parentDescriptor(of: path, creatingParents: true)
        let type: UInt32
        switch kind {
        case .characterDevice: type = S_IFCHR
        case .blockDevice: type = S_IFBLK
        case .fifo: type = S_IFIFO
        }
        let device = dev_t(cove_makedev(major, minor))
        _ = try replacing(path, parent, call: "mknodat") { mknodat(parent, path.name, type | 0o600, device) }
    }

    /// Makes `path` a hard link to `target` inside `source` (this directory or another on the
    /// same filesystem, such as a lower layer's snapshot), replacing what is at `path`.
    /// The target is resolved inside `source`'s root and its last component is not followed.
    public func createHardLink(_ path: RootedPath, to target: RootedPath, in source: RootedDirectory) throws(CoveError)
    {
        guard !target.isRoot else { throw CoveError(.invalidInput, "hard link \(describe(path)) points to the root") }
        guard !(source === self && target == path) else {
            throw CoveError(.invalidInput, "hard link \(describe(path)) points to itself")
        }
        let targetParent = try source.openDirectory(target.parent)
        defer { close(targetParent) }
        let parent = try parentDescriptor(of: path, creatingParents: true)
        _ = try replacing(path, parent, call: "linkat") { linkat(targetParent, target.name, parent, path.name, 0) }
    }

    /// True when something (of any kind) is at `path`; symlinks in the last component are not followed.
    public func exists(_ path: RootedPath) throws(CoveError) -> Bool {
        guard !path.isRoot else { return true }
        let parent: Int32
        do {
            parent = try parentDescriptor(of: path, creatingParents: false)
        } catch  where error.code == .notFound {
            return false
        }
        return try kind(parent, path.name) != nil
    }

    /// Removes what is at `path`, a whole tree for a directory; false when nothing was there.
    @discardableResult
    public func removeAll(_ path: RootedPath) throws(CoveError) -> Bool {
        guard !path.isRoot else { throw CoveError(.invalidInput, "refusing to remove the root of \(self.path)") }
        let parent: Int32
        do {
            parent = try parentDescriptor(of: path, creatingParents: false)
        } catch  where error.code == .notFound {
            return false
        }
        guard try kind(parent, path.name) != nil else { return false }
        try removeTree(parent, path.name, path)
        return true
    }

    /// Gives `path` its owner, mode, extended attributes and times, in that order (`chown` clears
    /// setuid bits and file capabilities, so it goes first). A symlink keeps mode 0777. An xattr
    /// namespace the filesystem does not support (`EOPNOTSUPP`) is skipped, as Docker does.
    public func setMetadata(_ path: RootedPath, _ metadata: FileMetadata, isSymlink: Bool = false) throws(CoveError) {
        guard !path.isRoot else {
            let opened = retryingOnInterrupt { open(self.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            guard opened.result >= 0 else { throw .systemCall("open", errno: opened.errno, "cannot open \(self.path)") }
            let root = NewFile(descriptor: opened.result, name: self.path)
            return try root.apply(metadata)
        }
        let parent = try parentDescriptor(of: path, creatingParents: false)
        let name = describe(path)
        guard fchownat(parent, path.name, metadata.uid, metadata.gid, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .systemCall("fchownat", errno: errno, "cannot set the owner of \(name)")
        }
        if !isSymlink {
            guard fchmodat(parent, path.name, metadata.mode & 0o7777, 0) == 0 else {
                throw .systemCall("fchmodat", errno: errno, "cannot set the mode of \(name)")
            }
        }
        for xattr in metadata.xattrs {
            try setExtendedAttribute(path, xattr, parent: parent, skippingUnsupported: true)
        }
        try setTimes(path, metadata.modificationTime, metadata.modificationNanoseconds, parent: parent)
    }

    /// Sets one extended attribute on `path` without following a symlink there.
    public func setExtendedAttribute(_ path: RootedPath, _ xattr: ExtendedAttribute) throws(CoveError) {
        try setExtendedAttribute(path, xattr, parent: try parentDescriptor(of: path, creatingParents: false))
    }

    /// Sets the access and modification times of `path` (not following a symlink there).
    public func setTimes(_ path: RootedPath, _ seconds: Int64, _ nanoseconds: Int64) throws(CoveError) {
        guard !path.isRoot else {
            return try setMetadataTimesOfRoot(seconds, nanoseconds)
        }
        try setTimes(path, seconds, nanoseconds, parent: try parentDescriptor(of: path, creatingParents: false))
    }

    // MARK: - Resolution

    private static let resolve = cove_resolve_in_root | cove_resolve_no_magiclinks | cove_resolve_no_xdev

    /// Opens a directory inside the root (`O_PATH`), resolving symlinks as if the root were `/`.
    func openDirectory(_ path: RootedPath) throws(CoveError) -> Int32 {
        let flags = UInt64(UInt32(bitPattern: cove_o_path | O_DIRECTORY | O_CLOEXEC))
        while true {
            let opened = cove_openat2(descriptor, path.description, flags, 0, Self.resolve)
            if opened >= 0 { return opened }
            let code = errno
            // EAGAIN: a rename raced with the resolution; the kernel asks to try again.
            if code == EINTR || code == EAGAIN { continue }
            throw .systemCall("openat2", errno: code, "cannot open directory \(describe(path))")
        }
    }

    /// The open directory that holds `path`, from the cache when it was the last one.
    private func parentDescriptor(of path: RootedPath, creatingParents: Bool) throws(CoveError) -> Int32 {
        let parentPath = path.parent
        if let cachedParent, cachedParent.path == parentPath { return cachedParent.descriptor }
        let opened: Int32
        do {
            opened = try openDirectory(parentPath)
        } catch  where error.code == .notFound && creatingParents {
            try createParents(parentPath)
            opened = try openDirectory(parentPath)
        }
        if let cachedParent { close(cachedParent.descriptor) }
        cachedParent = (parentPath, opened)
        return opened
    }

    /// Creates the missing directories of `path`, each with mode 0755 and owned by the caller.
    private func createParents(_ path: RootedPath) throws(CoveError) {
        var current = RootedPath(components: [])
        for component in path.components {
            let holder = try openDirectory(current)
            defer { close(holder) }
            current = current.appending(component)
            if mkdirat(holder, component, 0o755) != 0 && errno != EEXIST {
                throw .systemCall("mkdirat", errno: errno, "cannot create directory \(describe(current))")
            }
        }
    }

    // MARK: - Helpers

    private enum Kind { case directory, other }

    /// What is at `name` in `parent` (not following a symlink), or nil.
    private func kind(_ parent: Int32, _ name: String) throws(CoveError) -> Kind? {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw .systemCall("fstatat", errno: errno, "cannot inspect \(name) in \(path)")
        }
        return info.st_mode & S_IFMT == S_IFDIR ? .directory : .other
    }

    /// Runs a creating call; when the name is taken, removes what is there and runs it again.
    private func replacing(
        _ path: RootedPath, _ parent: Int32, call: String, _ create: () -> Int32
    ) throws(CoveError) -> Int32 {
        guard !path.isRoot else { throw CoveError(.invalidInput, "cannot replace the root of \(self.path)") }
        var result = create()
        if result < 0 && errno == EEXIST {
            try removeTree(parent, path.name, path)
            result = create()
        }
        guard result >= 0 else { throw .systemCall(call, errno: errno, "cannot create \(describe(path))") }
        return result
    }

    private func setExtendedAttribute(
        _ path: RootedPath, _ xattr: ExtendedAttribute, parent: Int32, skippingUnsupported: Bool = false
    ) throws(CoveError) {
        // lsetxattr on the name inside the already-resolved parent: /proc/self/fd/N is followed
        // (it is our own descriptor), the last component is not.
        let target = "/proc/self/fd/\(parent)/\(path.name)"
        let result = xattr.value.withUnsafeBytes { lsetxattr(target, xattr.name, $0.baseAddress, $0.count, 0) }
        guard result == 0 || (skippingUnsupported && errno == EOPNOTSUPP) else {
            throw .systemCall("lsetxattr", errno: errno, "cannot set xattr \(xattr.name) on \(describe(path))")
        }
    }

    private func setTimes(_ path: RootedPath, _ seconds: Int64, _ nanoseconds: Int64, parent: Int32) throws(CoveError) {
        let time = timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds))
        let times = [time, time]
        guard utimensat(parent, path.name, times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .systemCall("utimensat", errno: errno, "cannot set the times of \(describe(path))")
        }
    }

    private func setMetadataTimesOfRoot(_ seconds: Int64, _ nanoseconds: Int64) throws(CoveError) {
        let time = timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds))
        guard utimensat(AT_FDCWD, path, [time, time], 0) == 0 else {
            throw .systemCall("utimensat", errno: errno, "cannot set the times of \(path)")
        }
    }

    /// Removes `name` in `parent`: a file, or a directory with everything under it. Symlinks are
    /// removed, never followed.
    private func removeTree(_ parent: Int32, _ name: String, _ path: RootedPath) throws(CoveError) {
        guard try kind(parent, name) == .directory else {
            guard unlinkat(parent, name, 0) == 0 || errno == ENOENT else {
                throw .systemCall("unlinkat", errno: errno, "cannot remove \(describe(path))")
            }
            return
        }
        let opened = retryingOnInterrupt { openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard opened.result >= 0 else {
            throw .systemCall("openat", errno: opened.errno, "cannot open \(describe(path))")
        }
        guard let stream = fdopendir(opened.result) else {
            close(opened.result)
            throw .systemCall("fdopendir", errno: errno, "cannot list \(describe(path))")
        }
        defer { closedir(stream) }
        var children: [String] = []
        while let entry = readdir(stream) {
            let child = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if child != "." && child != ".." { children.append(child) }
        }
        for child in children {
            try removeTree(opened.result, child, path.appending(child))
        }
        guard unlinkat(parent, name, AT_REMOVEDIR) == 0 else {
            throw .systemCall("unlinkat", errno: errno, "cannot remove directory \(describe(path))")
        }
    }

    /// `path` in messages: the name inside the root, quoted.
    func describe(_ path: RootedPath) -> String { String(reflecting: "/" + path.components.joined(separator: "/")) }
}
