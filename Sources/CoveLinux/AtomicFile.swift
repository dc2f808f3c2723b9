import CoveCore
import Glibc

/// Small files written all at once: a reader sees the old content or the new, never a part.
public enum AtomicFile {
    /// Writes `bytes` to `path` through a temporary file beside it: write, `fsync`, `rename`.
    ///
    /// - Parameters:
    ///   - mode: the permission bits of the new file (before the umask).
    ///   - durable: `false` skips the `fsync` (still all-or-nothing for readers, but a power
    ///     loss may leave the old content): for files that are cheap to write again.
    public static func write(_ bytes: [UInt8], to path: String, mode: UInt32 = 0o644, durable: Bool = true)
        throws(CoveError)
    {
        let temporary = path + ".tmp"
        let opened = retryingOnInterrupt { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        guard opened.result >= 0 else {
            throw .systemCall("open", errno: opened.errno, "cannot create \(temporary)")
        }
        let descriptor = opened.result
        var written = 0
        while written < bytes.count {
            let step = retryingOnInterrupt {
                bytes.withUnsafeBytes {
                    Glibc.write(descriptor, $0.baseAddress?.advanced(by: written), $0.count - written)
                }
            }
            guard step.result > 0 else {
                close(descriptor)
                unlink(temporary)
                throw .systemCall("write", errno: step.errno, "cannot write \(temporary)")
            }
            written += step.result
        }
        let synced = durable ? retryingOnInterrupt { fsync(descriptor) } : (result: Int32(0), errno: Int32(0))
        close(descriptor)
        guard synced.result == 0 else {
            unlink(temporary)
            throw .systemCall("fsync", errno: synced.errno, "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .systemCall("rename", errno: code, "cannot replace \(path)")
        }
    }

    /// The first `limit` bytes of `path`, or `nil` when the file does not exist.
    public static func read(_ path: String, limit: Int = 4096) throws(CoveError) -> [UInt8]? {
        let opened = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard opened.result >= 0 else {
            if opened.errno == ENOENT { return nil }
            throw .systemCall("open", errno: opened.errno, "cannot read \(path)")
        }
        defer { close(opened.result) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(limit, 16 * 1024))
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let step = retryingOnInterrupt {
                chunk.withUnsafeMutableBytes { Glibc.read(opened.result, $0.baseAddress, wanted) }
            }
            guard step.result >= 0 else { throw .systemCall("read", errno: step.errno, "cannot read \(path)") }
            if step.result == 0 { break }
            bytes.append(contentsOf: chunk.prefix(step.result))
        }
        return bytes
    }

    /// Puts the file at `source` in place of `target` in one step (`rename`): a reader of `target`
    /// sees the old file or the new one. Both must be on one file system.
    public static func replace(_ target: String, with source: String) throws(CoveError) {
        guard rename(source, target) == 0 else {
            throw .systemCall("rename", errno: errno, "cannot move \(source) to \(target)")
        }
    }

    /// Removes `path`; a file that is already gone is not an error.
    public static func remove(_ path: String) throws(CoveError) {
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw .systemCall("unlink", errno: code, "cannot remove \(path)")
        }
    }
}
