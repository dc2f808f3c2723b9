import CCoveLinux
import CoveCore
import Glibc

/// What `lstat` says about one file: its kind, permissions, owner, size, time and identity.
public struct FileStatus: Hashable, Sendable {
    public var kind: ArchiveEntry.Kind
    /// The permission bits including setuid, setgid and sticky (`0o7777`).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    public var modificationTime: Int64
    public var modificationNanoseconds: Int64
    /// The device numbers of a character or block device (0/0 is an overlayfs whiteout).
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32
    /// The filesystem and inode: equal for hard links of one file.
    public var device: UInt64
    public var inode: UInt64
    public var linkCount: UInt64

    public init(
        kind: ArchiveEntry.Kind, mode: UInt32, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0,
        modificationTime: Int64 = 0, modificationNanoseconds: Int64 = 0, deviceMajor: UInt32 = 0,
        deviceMinor: UInt32 = 0, device: UInt64 = 0, inode: UInt64 = 0, linkCount: UInt64 = 1
    ) {
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.modificationTime = modificationTime
        self.modificationNanoseconds = modificationNanoseconds
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
        self.device = device
        self.inode = inode
        self.linkCount = linkCount
    }

    /// True for an overlayfs whiteout: a character device 0/0.
    public var isWhiteout: Bool { kind == .characterDevice && deviceMajor == 0 && deviceMinor == 0 }

    /// `fstatat(directory, name, AT_SYMLINK_NOFOLLOW)`; nil when nothing is there.
    static func of(_ name: String, in directory: Int32) throws(CoveError) -> FileStatus? {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .systemCall("fstatat", errno: errno, "cannot inspect \(String(reflecting: name))")
        }
        return FileStatus(info)
    }

    init(_ info: stat) {
        let kind: ArchiveEntry.Kind
        switch UInt32(info.st_mode) & FileTypeBits.mask {
        case FileTypeBits.directory: kind = .directory
        case FileTypeBits.symlink: kind = .symlink
        case FileTypeBits.characterDevice: kind = .characterDevice
        case FileTypeBits.blockDevice: kind = .blockDevice
        case FileTypeBits.fifo: kind = .fifo
        case FileTypeBits.socket: kind = .socket
        default: kind = .regular
        }
        self.init(
            kind: kind, mode: UInt32(info.st_mode) & 0o7777, uid: info.st_uid, gid: info.st_gid,
            size: Int64(info.st_size), modificationTime: Int64(info.st_mtim.tv_sec),
            modificationNanoseconds: Int64(info.st_mtim.tv_nsec), deviceMajor: cove_major(UInt64(info.st_rdev)),
            deviceMinor: cove_minor(UInt64(info.st_rdev)), device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            linkCount: UInt64(info.st_nlink))
    }
}
