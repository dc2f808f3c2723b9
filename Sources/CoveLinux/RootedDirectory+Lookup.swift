import CCoveLinux
import CoveCore
import Glibc

extension RootedDirectory {
    /// What is at `path` (its parents resolved inside the root, the last component not
    /// followed), or nil when nothing is there.
    public func status(_ path: RootedPath) throws(CoveError) -> FileStatus? {
        let parent: Int32
        do {
            parent = try openDirectory(path.parent)
        } catch  where error.code == .notFound {
            return nil
        }
        defer { close(parent) }
        return try FileStatus.of(path.isRoot ? "." : path.name, in: parent)
    }

    /// `path` with every symlink on the way, the last component included, resolved inside the
    /// root (a link to `/etc` leads to this directory's `etc`); nil when it leads nowhere.
    public func resolve(_ path: RootedPath) throws(CoveError) -> RootedPath? {
        let flags = UInt64(UInt32(bitPattern: cove_o_path | O_CLOEXEC))
        var opened: Int32
        repeat {
            opened = cove_openat2(
                descriptor, path.description, flags, 0, cove_resolve_in_root | cove_resolve_no_magiclinks)
        } while opened < 0 && (errno == EINTR || errno == EAGAIN)
        guard opened >= 0 else {
            if errno == ENOENT || errno == ENOTDIR || errno == ELOOP { return nil }
            throw .systemCall("openat2", errno: errno, "cannot resolve \(describe(path))")
        }
        defer { close(opened) }
        let base = try Self.location(of: descriptor)
        let found = try Self.location(of: opened)
        if found == base { return RootedPath(components: []) }
        guard found.hasPrefix(base == "/" ? "/" : base + "/") else { return nil }
        return RootedPath(String(found.dropFirst(base.count)))
    }

    /// The path the kernel gives an open descriptor (`/proc/self/fd/N`).
    private static func location(of descriptor: Int32) throws(CoveError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard count >= 0 else { throw .systemCall("readlink", errno: errno, "cannot locate an open directory") }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
