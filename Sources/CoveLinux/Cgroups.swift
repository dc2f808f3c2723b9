/// How cgroups are mounted on this machine.
public enum CgroupLayout: String, Sendable, Equatable {
    /// Only the v2 hierarchy (`/sys/fs/cgroup` is `cgroup2`).
    case unified
    /// v1 controllers plus a v2 hierarchy at `/sys/fs/cgroup/unified`.
    case hybrid
    /// v1 controllers only.
    case legacy
    /// No cgroup file system under `/sys/fs/cgroup`.
    case none

    /// Docker's `CgroupVersion`: "2" for the unified layout, "1" when v1 controllers are in use.
    public var dockerVersion: String? {
        switch self {
        case .unified: "2"
        case .hybrid, .legacy: "1"
        case .none: nil
        }
    }

    /// The layout of this machine, from `/proc/self/mountinfo`.
    public static func detect() -> CgroupLayout {
        guard let bytes = try? AtomicFile.read("/proc/self/mountinfo", limit: 4 << 20) else { return .none }
        return detect(mountInfo: String(decoding: bytes, as: UTF8.self))
    }

    /// The layout the mounts in `mountInfo` (the text of a `mountinfo` file) describe.
    public static func detect(mountInfo: String, root: String = "/sys/fs/cgroup") -> CgroupLayout {
        var types: [String: String] = [:]  // mount point → file system type; later mounts shadow earlier ones
        var hasV1 = false
        for line in mountInfo.split(separator: "\n") {
            guard let mount = MountInfoLine(line) else { continue }
            types[mount.mountPoint] = mount.fileSystemType
            if mount.fileSystemType == "cgroup" && mount.mountPoint.hasPrefix(root + "/") { hasV1 = true }
        }
        if types[root] == "cgroup2" { return .unified }
        if types[root + "/unified"] == "cgroup2" { return hasV1 ? .hybrid : .unified }
        return hasV1 ? .legacy : .none
    }
}

/// The two fields of a `mountinfo` line that cgroup detection needs.
struct MountInfoLine {
    var mountPoint: String
    var fileSystemType: String

    /// Parses `id parent major:minor root mount-point options [optional...] - type source super-options`.
    init?(_ line: Substring) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 8, let separator = fields[6...].firstIndex(of: "-"), separator + 1 < fields.count
        else { return nil }
        mountPoint = MountInfoLine.unescape(fields[4])
        fileSystemType = String(fields[separator + 1])
    }

    /// Undoes the kernel's octal escapes (`\040` for a space) in a mountinfo field.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
