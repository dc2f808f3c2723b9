import Glibc

/// Figures about this process that `/info` reports.
public enum ProcessStats {
    /// How many file descriptors this process has open (the entries of `/proc/self/fd`, less
    /// the one this count opens), or `nil` when `/proc` cannot be read.
    public static func openFileDescriptorCount() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name.first == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return max(count - 1, 0)
    }
}
