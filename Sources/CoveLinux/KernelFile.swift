import CoveCore
import Glibc

/// Files of the kernel's virtual file systems (cgroupfs, procfs): written in place, in one
/// `write`, never through a temporary file; and the directories that hold them.
public enum KernelFile {
    /// Writes `value` to the existing file `path` (`open(O_WRONLY)`, one `write`).
    public static func write(_ value: String, to path: String) throws(CoveError) {
        let opened = retryingOnInterrupt { open(path, O_WRONLY | O_CLOEXEC) }
        guard opened.result >= 0 else {
            throw .systemCall("open", errno: opened.errno, "cannot write \(value) to \(path)")
        }
        defer { close(opened.result) }
        let bytes = Array(value.utf8)
        let written = retryingOnInterrupt {
            bytes.withUnsafeBytes { Glibc.write(opened.result, $0.baseAddress, $0.count) }
        }
        guard written.result == bytes.count else {
            throw .systemCall("write", errno: written.errno, "cannot write \(value) to \(path)")
        }
    }

    /// The text of `path` (at most 1 MiB), or `nil` when it does not exist.
    public static func read(_ path: String) throws(CoveError) -> String? {
        guard let bytes = try AtomicFile.read(path, limit: 1 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `path` exists (any type; symbolic links are not followed).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a symbolic link.
    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// Removes the empty directory `path` (a cgroup); one that is already gone is not an error.
    public static func removeDirectory(_ path: String) throws(CoveError) {
        guard rmdir(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw .systemCall("rmdir", errno: code, "cannot remove \(path)")
        }
    }

    /// Creates the FIFO `path` (mode 0600) unless it exists.
    public static func makeFIFO(_ path: String) throws(CoveError) {
        guard mkfifo(path, 0o600) == 0 || errno == EEXIST else {
            throw .systemCall("mkfifo", errno: errno, "cannot create \(path)")
        }
    }

    /// Writes `line` to the FIFO `path` without blocking; `.notFound`-coded when nobody reads it.
    public static func sendLine(_ line: String, toFIFO path: String) throws(CoveError) {
        let opened = retryingOnInterrupt { open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC) }
        guard opened.result >= 0 else {
            let code = opened.errno == ENXIO ? ENOENT : opened.errno
            throw .systemCall("open", errno: code, "cannot reach \(path)")
        }
        defer { close(opened.result) }
        let bytes = Array((line + "\n").utf8)
        let written = retryingOnInterrupt {
            bytes.withUnsafeBytes { Glibc.write(opened.result, $0.baseAddress, $0.count) }
        }
        guard written.result == bytes.count else {
            throw .systemCall("write", errno: written.errno, "cannot write to \(path)")
        }
    }
}
