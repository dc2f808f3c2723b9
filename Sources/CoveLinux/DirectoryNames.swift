import CoveCore
import Glibc

/// The names in an open directory, sorted, without `.` and `..`; read through a new open of
/// the directory, so the caller's descriptor keeps its own position.
func directoryNames(_ directory: Int32, described: String) throws(CoveError) -> [String] {
    let copy = retryingOnInterrupt { openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    guard copy.result >= 0 else { throw .systemCall("openat", errno: copy.errno, "cannot list \(described)") }
    guard let stream = fdopendir(copy.result) else {
        close(copy.result)
        throw .systemCall("fdopendir", errno: errno, "cannot list \(described)")
    }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}
