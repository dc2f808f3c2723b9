import CCoveLinux
import CoveCore
import Glibc

extension ExtendedAttribute {
    /// Reads the attribute `name` of `path` without following a symlink there; nil when unset.
    public static func read(_ name: String, of path: String) throws(CoveError) -> ExtendedAttribute? {
        var value = [UInt8](repeating: 0, count: 65536)
        let count = value.withUnsafeMutableBytes { lgetxattr(path, name, $0.baseAddress, $0.count) }
        guard count >= 0 else {
            if errno == ENODATA { return nil }
            throw .systemCall("lgetxattr", errno: errno, "cannot read xattr \(name) of \(path)")
        }
        return ExtendedAttribute(name: name, value: Array(value.prefix(count)))
    }
}
