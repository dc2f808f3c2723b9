import CoveCore
import Glibc

extension CoveError {
    /// The error for a failed system call: `message: call: errno text`.
    ///
    /// `ENOENT` maps to `.notFound`, everything else to `.io`; the cause names the call and
    /// the text of `errno`, so `cannot lock /var/lib/cove/daemon.lock: flock: Permission denied`.
    static func systemCall(_ call: String, errno code: Int32, _ message: String) -> CoveError {
        CoveError(code == ENOENT ? .notFound : .io, message, cause: "\(call): \(errnoText(code))")
    }
}

/// The C library's text for an `errno` value.
func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}

/// Runs a system call again while it fails with `EINTR`; returns its result and the `errno` of a failure.
func retryingOnInterrupt<Result: BinaryInteger>(_ call: () -> Result) -> (result: Result, errno: Int32) {
    while true {
        let result = call()
        if result >= 0 { return (result, 0) }
        let code = errno
        if code != EINTR { return (result, code) }
    }
}
