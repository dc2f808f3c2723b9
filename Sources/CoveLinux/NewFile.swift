import CCoveLinux
import CoveCore
import Glibc

/// A regular file that `RootedDirectory.createFile` made, open for writing its data.
///
/// Write the data (blocks at their offsets: sparse ranges are left as holes), then `finish` sets
/// the size, owner, mode, extended attributes and times through the descriptor and closes it.
public final class NewFile {
    private var descriptor: Int32
    /// The file's name in messages.
    public let name: String
    private var end: Int64 = 0

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Writes `bytes` at `offset`.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(CoveError) {
        var written = 0
        while written < bytes.count {
            let step = retryingOnInterrupt {
                pwrite(
                    descriptor, bytes.baseAddress?.advanced(by: written), bytes.count - written, off_t(offset) + written
                )
            }
            guard step.result > 0 else {
                throw .systemCall("pwrite", errno: step.result == 0 ? EIO : step.errno, "cannot write \(name)")
            }
            written += step.result
        }
        end = max(end, offset + Int64(bytes.count))
    }

    /// Sets the final size (extending a sparse file), applies `metadata` when given, and closes.
    public func finish(size: Int64, metadata: FileMetadata?) throws(CoveError) {
        if size != end {
            guard ftruncate(descriptor, off_t(size)) == 0 else {
                throw .systemCall("ftruncate", errno: errno, "cannot set the size of \(name)")
            }
        }
        if let metadata { try apply(metadata) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw .systemCall("close", errno: errno, "cannot write \(name)") }
    }

    /// Owner, then mode, then xattrs, then times (chown clears setuid bits and capabilities).
    /// An xattr namespace the filesystem does not support (`EOPNOTSUPP`) is skipped.
    func apply(_ metadata: FileMetadata) throws(CoveError) {
        guard fchown(descriptor, metadata.uid, metadata.gid) == 0 else {
            throw .systemCall("fchown", errno: errno, "cannot set the owner of \(name)")
        }
        guard fchmod(descriptor, metadata.mode & 0o7777) == 0 else {
            throw .systemCall("fchmod", errno: errno, "cannot set the mode of \(name)")
        }
        for xattr in metadata.xattrs {
            let result = xattr.value.withUnsafeBytes { fsetxattr(descriptor, xattr.name, $0.baseAddress, $0.count, 0) }
            guard result == 0 || errno == EOPNOTSUPP else {
                throw .systemCall("fsetxattr", errno: errno, "cannot set xattr \(xattr.name) on \(name)")
            }
        }
        let time = timespec(tv_sec: Int(metadata.modificationTime), tv_nsec: Int(metadata.modificationNanoseconds))
        guard futimens(descriptor, [time, time]) == 0 else {
            throw .systemCall("futimens", errno: errno, "cannot set the times of \(name)")
        }
    }
}
