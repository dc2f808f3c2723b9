import CCoveLinux
import CoveCore
import Glibc

/// Mounting and unmounting overlayfs: read-only lower directories, a writable upper directory and
/// its work directory, merged at a target.
public enum OverlayMount {
    /// The longest option string `mount(2)` takes: one page, including the final NUL.
    public static var optionLimit: Int { Int(sysconf(Int32(_SC_PAGESIZE))) - 1 }

    /// Mounts overlayfs at `target`.
    ///
    /// - Parameters:
    ///   - lowerDirectories: the lower layers, **top-most first** (overlayfs's order).
    ///   - upperDirectory, workDirectory: both or neither; without them the mount is read-only
    ///     and needs at least two lower directories.
    ///
    /// The classic `mount(2)` takes all options in one page (4096 bytes), which fits about 40
    /// layers at `/var/lib/cove/snapshots/<64 hex digits>/fs` each. Longer lists go through the
    /// new mount API, one `lowerdir+` per layer (Linux 6.8 and later; overlayfs itself stops at
    /// 500 layers); on an older kernel such an image fails with a message saying so.
    public static func mount(
        lowerDirectories: [String], upperDirectory: String?, workDirectory: String?, target: String
    ) throws(CoveError) {
        guard !lowerDirectories.isEmpty else {
            throw CoveError(.invalidInput, "an overlay mount at \(target) needs at least one lower directory")
        }
        guard (upperDirectory == nil) == (workDirectory == nil) else {
            throw CoveError(
                .invalidInput, "an overlay mount at \(target) needs both an upper and a work directory, or neither")
        }
        let all = lowerDirectories + [upperDirectory, workDirectory].compactMap { $0 }
        for path in all where path.contains(",") || path.contains(":") || !path.hasPrefix("/") {
            throw CoveError(
                .invalidInput, "cannot use \(path) in an overlay mount: it must be absolute, without ',' or ':'")
        }
        var options = "lowerdir=" + lowerDirectories.joined(separator: ":")
        if let upperDirectory, let workDirectory { options += ",upperdir=\(upperDirectory),workdir=\(workDirectory)" }
        if options.utf8.count <= optionLimit {
            guard Glibc.mount("overlay", target, "overlay", 0, options) == 0 else {
                throw .systemCall(
                    "mount", errno: errno, "cannot mount overlayfs (\(lowerDirectories.count) layers) at \(target)")
            }
            return
        }
        var pointers = lowerDirectories.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        let result = pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                cove_mount_overlay_layers(target, $0.baseAddress, Int32($0.count), upperDirectory, workDirectory)
            }
        }
        guard result == 0 else {
            let code = errno
            throw .systemCall(
                "fsconfig", errno: code,
                "cannot mount overlayfs at \(target): its \(lowerDirectories.count) layers exceed mount(2)'s "
                    + "\(optionLimit + 1)-byte option page, and this kernel's new mount API refused them "
                    + "(one lowerdir+ per layer needs Linux 6.8 or later)")
        }
    }

    /// Unmounts `target`; `detach` makes it lazy (`MNT_DETACH`) for a mount still in use.
    public static func unmount(_ target: String, detach: Bool = false) throws(CoveError) {
        guard umount2(target, detach ? Int32(MNT_DETACH) : 0) == 0 else {
            throw .systemCall("umount2", errno: errno, "cannot unmount \(target)")
        }
    }

    /// True when `path` (absolute, without symlinks) is a mount point in `/proc/self/mountinfo`.
    public static func isMountPoint(_ path: String) -> Bool {
        guard let mountInfo = fopen("/proc/self/mountinfo", "r") else { return false }
        defer { fclose(mountInfo) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, mountInfo) > 0 {
            guard let line else { continue }
            let fields = String(cString: line).split(separator: " ")
            if fields.count > 4, unescape(fields[4]) == path { return true }
        }
        return false
    }

    /// mountinfo escapes spaces, tabs, newlines and backslashes as octal (`\040`).
    private static func unescape(_ field: Substring) -> String {
        field.replacingOccurrences(["\\040": " ", "\\011": "\t", "\\012": "\n", "\\134": "\\"])
    }
}

extension Substring {
    fileprivate func replacingOccurrences(_ table: [String: String]) -> String {
        var text = String(self)
        for (escaped, plain) in table {
            text = text.split(separator: escaped, omittingEmptySubsequences: false).joined(separator: plain)
        }
        return text
    }
}
