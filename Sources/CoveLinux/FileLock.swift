import CoveCore
import Glibc

/// An exclusive, non-blocking advisory lock (`flock(LOCK_EX | LOCK_NB)`) on a lock file.
///
/// The lock lives as long as the value: it is released when the value is freed or the
/// process ends, whichever comes first, and the kernel releases it even after `kill -9`.
/// The descriptor is opened with `O_CLOEXEC`, so programs the process starts do not inherit it.
public final class FileLock: Sendable {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Takes the lock on `path`, creating the file (mode 0600) when it is missing.
    ///
    /// - Returns: the held lock, or `nil` when another open file description holds it.
    /// - Throws: `CoveError` naming `open` or `flock` when the file cannot be opened or locked.
    public static func acquire(path: String) throws(CoveError) -> FileLock? {
        let opened = retryingOnInterrupt { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
        guard opened.result >= 0 else {
            throw .systemCall("open", errno: opened.errno, "cannot open lock file \(path)")
        }
        let locked = retryingOnInterrupt { flock(opened.result, LOCK_EX | LOCK_NB) }
        guard locked.result == 0 else {
            close(opened.result)
            if locked.errno == EWOULDBLOCK { return nil }
            throw .systemCall("flock", errno: locked.errno, "cannot lock \(path)")
        }
        return FileLock(path: path, descriptor: opened.result)
    }
}
