import CoveCore
import Glibc

/// Creating directories with chosen permissions.
public enum Directory {
    /// Creates `path` and its missing parents.
    ///
    /// A directory this call creates gets `mode` exactly (the umask does not narrow it);
    /// missing parents get 0755. A directory that already exists is left as it is.
    ///
    /// - Returns: whether `path` itself was created.
    @discardableResult
    public static func create(_ path: String, mode: UInt32) throws(CoveError) -> Bool {
        guard !path.isEmpty else { throw CoveError(.invalidInput, "empty directory path") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        var current = path.hasPrefix("/") ? "" : "."
        var createdLast = false
        for (index, component) in components.enumerated() {
            current += "/" + component
            let isLast = index == components.count - 1
            let wanted = isLast ? mode : 0o755
            if mkdir(current, wanted) == 0 {
                guard chmod(current, wanted) == 0 else {
                    throw .systemCall("chmod", errno: errno, "cannot set the mode of \(current)")
                }
                createdLast = isLast
                continue
            }
            let code = errno
            guard code == EEXIST else {
                throw .systemCall("mkdir", errno: code, "cannot create directory \(current)")
            }
            var info = stat()
            guard stat(current, &info) == 0 else {
                throw .systemCall("stat", errno: errno, "cannot inspect \(current)")
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw CoveError(.invalidInput, "\(current) exists and is not a directory")
            }
        }
        return createdLast
    }
}
