import CCoveLinux
import CoveCore
import Glibc

/// Walks a directory tree through open descriptors, in name order, parents before children.
///
/// Nothing is ever followed: each directory is opened with `O_NOFOLLOW` relative to its parent's
/// descriptor, and the start is found with `RootedDirectory`'s in-root resolution, so a tree
/// written by a container (symlinks to `/etc`, `..` tricks, names swapped while walking) is
/// read only where it lies. Used to archive and compare container filesystems.
public enum DirectoryTree {
    /// One file met by `walk`; valid only during the `visit` call that receives it.
    public struct Item {
        /// The components below the walk's start (empty for the start itself).
        public let path: [String]
        public let status: FileStatus
        let parent: Int32
        let name: String

        /// The target of a symlink.
        public func linkTarget() throws(CoveError) -> String {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlinkat(parent, name, &buffer, buffer.count - 1)
            guard count >= 0 else { throw .systemCall("readlinkat", errno: errno, "cannot read the link \(shown)") }
            return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        /// The extended attribute `name`, or nil when it is unset or unsupported.
        public func extendedAttribute(_ attribute: String) throws(CoveError) -> ExtendedAttribute? {
            var value = [UInt8](repeating: 0, count: 65536)
            let count = value.withUnsafeMutableBytes { lgetxattr(procPath, attribute, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                if errno == ENODATA || errno == EOPNOTSUPP { return nil }
                throw .systemCall("lgetxattr", errno: errno, "cannot read xattr \(attribute) of \(shown)")
            }
            return ExtendedAttribute(name: attribute, value: Array(value.prefix(count)))
        }

        /// Every extended attribute (empty where the filesystem has none).
        public func extendedAttributes() throws(CoveError) -> [ExtendedAttribute] {
            var names = [CChar](repeating: 0, count: 65536)
            let count = llistxattr(procPath, &names, names.count)
            guard count > 0 else { return [] }
            let list = names.prefix(count).split(separator: 0).map {
                String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            var attributes: [ExtendedAttribute] = []
            for name in list { if let value = try extendedAttribute(name) { attributes.append(value) } }
            return attributes
        }

        /// Hands a regular file's bytes to `body`, 1 MiB at a time.
        public func readContents(_ body: (UnsafeRawBufferPointer) throws(CoveError) -> Void) throws(CoveError) {
            let opened = retryingOnInterrupt { openat(parent, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
            guard opened.result >= 0 else { throw .systemCall("openat", errno: opened.errno, "cannot open \(shown)") }
            defer { close(opened.result) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let step = retryingOnInterrupt { read(opened.result, buffer.baseAddress, buffer.count) }
                guard step.result >= 0 else { throw .systemCall("read", errno: step.errno, "cannot read \(shown)") }
                if step.result == 0 { return }
                try body(UnsafeRawBufferPointer(rebasing: buffer[..<step.result]))
            }
        }

        private var procPath: String { "/proc/self/fd/\(parent)/\(name)" }
        private var shown: String { String(reflecting: "/" + path.joined(separator: "/")) }
    }

    /// Visits `start` (resolved inside `root`, its last component not followed) and, when it is
    /// a directory and `visit` answers true, everything below it. False when `start` does not exist.
    @discardableResult
    public static func walk(
        _ root: RootedDirectory, from start: RootedPath, visit: (Item) throws(CoveError) -> Bool
    ) throws(CoveError) -> Bool {
        let parent: Int32
        do {
            parent = try root.openDirectory(start.parent)
        } catch  where error.code == .notFound {
            return false
        }
        defer { close(parent) }
        let name = start.isRoot ? "." : start.name
        guard let status = try FileStatus.of(name, in: parent) else { return false }
        try walk(Item(path: [], status: status, parent: parent, name: name), visit: visit)
        return true
    }

    private static func walk(_ item: Item, visit: (Item) throws(CoveError) -> Bool) throws(CoveError) {
        guard try visit(item), item.status.kind == .directory else { return }
        let opened = retryingOnInterrupt {
            openat(item.parent, item.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        guard opened.result >= 0 else {
            if opened.errno == ENOENT { return }  // removed while walking
            throw .systemCall("openat", errno: opened.errno, "cannot open directory \(item.name)")
        }
        let directory = opened.result
        defer { close(directory) }
        for name in try directoryNames(directory, described: "directory \(item.name)") {
            guard let status = try FileStatus.of(name, in: directory) else { continue }
            try walk(Item(path: item.path + [name], status: status, parent: directory, name: name), visit: visit)
        }
    }
}
