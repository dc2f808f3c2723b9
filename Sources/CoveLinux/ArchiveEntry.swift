import CCoveArchive
import CoveCore
import Glibc

/// One member of a tar archive: its header, as a plain value.
///
/// `ArchiveReader.next()` makes these from libarchive's headers; `ArchiveWriter` writes them.
/// Names are UTF-8 as stored in the archive, unchecked: an entry read from an archive may name
/// `../x` or `/etc/x`, so anything that creates files from it must resolve names safely.
public struct ArchiveEntry: Hashable, Sendable {
    /// What kind of file the entry describes.
    public enum Kind: Hashable, Sendable {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo, socket
    }

    /// The name inside the archive, as stored (`./usr/bin/env`, `etc/`).
    public var path: String
    public var kind: Kind
    /// The target of a symlink (any text) or of a hard link (another member's name).
    public var linkTarget: String?
    /// The permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    public var mode: UInt32
    public var uid: Int64
    public var gid: Int64
    /// The owner names stored beside the ids, when the archive has them.
    public var userName: String?
    public var groupName: String?
    /// The size of the data in bytes (0 for everything but regular files).
    public var size: Int64
    /// The modification time: seconds since the epoch and nanoseconds.
    public var modificationTime: Int64
    public var modificationNanoseconds: Int64
    /// The device numbers of a character or block device.
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32
    /// Extended attributes (pax `SCHILY.xattr.*`), e.g. `security.capability`, in archive order.
    public var xattrs: [ExtendedAttribute]

    public init(
        path: String, kind: Kind, linkTarget: String? = nil, mode: UInt32 = 0o644, uid: Int64 = 0,
        gid: Int64 = 0, userName: String? = nil, groupName: String? = nil, size: Int64 = 0,
        modificationTime: Int64 = 0, modificationNanoseconds: Int64 = 0, deviceMajor: UInt32 = 0,
        deviceMinor: UInt32 = 0, xattrs: [ExtendedAttribute] = []
    ) {
        self.path = path
        self.kind = kind
        self.linkTarget = linkTarget
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
        self.size = size
        self.modificationTime = modificationTime
        self.modificationNanoseconds = modificationNanoseconds
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
        self.xattrs = xattrs
    }
}

/// An extended attribute: a name such as `security.capability` and its raw value.
public struct ExtendedAttribute: Hashable, Sendable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}

/// The file type bits of `mode_t`, as libarchive's `AE_IF*` macros (which Swift cannot import).
enum FileTypeBits {
    static let mask: UInt32 = 0o170000
    static let regular: UInt32 = 0o100000
    static let directory: UInt32 = 0o040000
    static let symlink: UInt32 = 0o120000
    static let characterDevice: UInt32 = 0o020000
    static let blockDevice: UInt32 = 0o060000
    static let fifo: UInt32 = 0o010000
    static let socket: UInt32 = 0o140000
}

extension ArchiveEntry {
    /// Copies a libarchive header into a value.
    init(libarchive entry: OpaquePointer) {
        let hardlink = Self.text(archive_entry_hardlink_utf8(entry) ?? archive_entry_hardlink(entry))
        let symlink = Self.text(archive_entry_symlink_utf8(entry) ?? archive_entry_symlink(entry))
        let kind: Kind
        if hardlink != nil {
            kind = .hardlink
        } else {
            switch UInt32(archive_entry_filetype(entry)) & FileTypeBits.mask {
            case FileTypeBits.directory: kind = .directory
            case FileTypeBits.symlink: kind = .symlink
            case FileTypeBits.characterDevice: kind = .characterDevice
            case FileTypeBits.blockDevice: kind = .blockDevice
            case FileTypeBits.fifo: kind = .fifo
            case FileTypeBits.socket: kind = .socket
            default: kind = .regular
            }
        }
        var xattrs: [ExtendedAttribute] = []
        if archive_entry_xattr_reset(entry) > 0 {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
                guard let name else { continue }
                let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                let attribute = ExtendedAttribute(name: String(cString: name), value: bytes)
                // libarchive's pax writer stores each attribute twice (LIBARCHIVE.xattr and
                // SCHILY.xattr) and its reader returns both: keep one per name, the last.
                if let index = xattrs.firstIndex(where: { $0.name == attribute.name }) {
                    xattrs[index] = attribute
                } else {
                    xattrs.append(attribute)
                }
            }
        }
        self.init(
            path: Self.text(archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)) ?? "",
            kind: kind,
            linkTarget: hardlink ?? (kind == .symlink ? symlink ?? "" : nil),
            mode: UInt32(archive_entry_perm(entry)) & 0o7777,
            uid: archive_entry_uid(entry),
            gid: archive_entry_gid(entry),
            userName: Self.text(archive_entry_uname_utf8(entry) ?? archive_entry_uname(entry)),
            groupName: Self.text(archive_entry_gname_utf8(entry) ?? archive_entry_gname(entry)),
            size: archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0,
            modificationTime: archive_entry_mtime_is_set(entry) != 0 ? Int64(archive_entry_mtime(entry)) : 0,
            modificationNanoseconds: archive_entry_mtime_is_set(entry) != 0
                ? Int64(archive_entry_mtime_nsec(entry)) : 0,
            deviceMajor: UInt32(truncatingIfNeeded: archive_entry_rdevmajor(entry)),
            deviceMinor: UInt32(truncatingIfNeeded: archive_entry_rdevminor(entry)),
            xattrs: xattrs)
    }

    /// Fills a libarchive header from this value.
    func fill(libarchive entry: OpaquePointer) {
        archive_entry_set_pathname_utf8(entry, path)
        let type: UInt32
        switch kind {
        case .regular, .hardlink: type = FileTypeBits.regular
        case .directory: type = FileTypeBits.directory
        case .symlink: type = FileTypeBits.symlink
        case .characterDevice: type = FileTypeBits.characterDevice
        case .blockDevice: type = FileTypeBits.blockDevice
        case .fifo: type = FileTypeBits.fifo
        case .socket: type = FileTypeBits.socket
        }
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode & 0o7777)
        archive_entry_set_uid(entry, uid)
        archive_entry_set_gid(entry, gid)
        if let userName { archive_entry_set_uname_utf8(entry, userName) }
        if let groupName { archive_entry_set_gname_utf8(entry, groupName) }
        archive_entry_set_size(entry, kind == .regular ? size : 0)
        archive_entry_set_mtime(entry, time_t(modificationTime), Int(modificationNanoseconds))
        if kind == .symlink { archive_entry_set_symlink_utf8(entry, linkTarget ?? "") }
        if kind == .hardlink { archive_entry_set_hardlink_utf8(entry, linkTarget ?? "") }
        if kind == .characterDevice || kind == .blockDevice {
            archive_entry_set_rdevmajor(entry, dev_t(deviceMajor))
            archive_entry_set_rdevminor(entry, dev_t(deviceMinor))
        }
        for xattr in xattrs {
            xattr.value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, xattr.name, $0.baseAddress, $0.count) }
        }
    }

    private static func text(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer, pointer.pointee != 0 else { return nil }
        return String(cString: pointer)
    }
}
