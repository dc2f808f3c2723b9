/// One mount in the container, made before `pivot_root`: `target` is inside the root file system.
public struct Mount: Sendable, Equatable {
    /// What to create at `target` when it is missing.
    public enum Create: String, Sendable {
        case directory = "dir"
        case file
        case none
    }

    /// A host path for binds; the file system's name otherwise (`proc`, `tmpfs`).
    public var source: String
    public var target: String
    /// Empty for a bind mount.
    public var type: String
    public var flags: MountFlags
    /// File-system options (`mode=755,size=65536k`).
    public var data: String
    public var create: Create

    public init(
        source: String, target: String, type: String, flags: MountFlags, data: String = "",
        create: Create = .directory
    ) {
        self.source = source
        self.target = target
        self.type = type
        self.flags = flags
        self.data = data
        self.create = create
    }

    /// A bind mount of a host path (`ro` adds `MS_RDONLY` through a remount).
    public static func bind(
        _ source: String, at target: String, readOnly: Bool = false, file: Bool = false, propagation: MountFlags = []
    ) -> Mount {
        var flags: MountFlags = [.bind, .recursive]
        flags.formUnion(propagation)
        if readOnly { flags.insert(.readOnly) }
        return Mount(source: source, target: target, type: "", flags: flags, create: file ? .file : .directory)
    }
}

/// `mount(2)` flags, with the names the step text shows.
public struct MountFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let readOnly = MountFlags(rawValue: 1)
    public static let noSuid = MountFlags(rawValue: 2)
    public static let noDev = MountFlags(rawValue: 4)
    public static let noExec = MountFlags(rawValue: 8)
    public static let remount = MountFlags(rawValue: 32)
    public static let bind = MountFlags(rawValue: 4096)
    public static let recursive = MountFlags(rawValue: 16384)
    public static let unbindablePropagation = MountFlags(rawValue: 1 << 17)
    public static let privatePropagation = MountFlags(rawValue: 1 << 18)
    public static let slavePropagation = MountFlags(rawValue: 1 << 19)
    public static let sharedPropagation = MountFlags(rawValue: 1 << 20)
    public static let relatime = MountFlags(rawValue: 1 << 21)
    public static let strictAtime = MountFlags(rawValue: 1 << 24)

    static let named: [(MountFlags, String)] = [
        (.remount, "remount"), (.bind, "bind"), (.recursive, "rec"), (.readOnly, "ro"), (.noSuid, "nosuid"),
        (.noDev, "nodev"),
        (.noExec, "noexec"), (.relatime, "relatime"), (.strictAtime, "strictatime"),
        (.privatePropagation, "private"), (.slavePropagation, "slave"), (.sharedPropagation, "shared"),
        (.unbindablePropagation, "unbindable"),
    ]

    /// The flags of a bind's propagation mode (`rprivate`, `shared`, `rslave`, …); nil for an
    /// unknown mode. A bind is always recursive, so the `r` forms and the plain ones are alike.
    public static func propagation(_ mode: String) -> MountFlags? {
        switch mode.hasPrefix("r") ? String(mode.dropFirst()) : mode {
        case "private": .privatePropagation
        case "slave": .slavePropagation
        case "shared": .sharedPropagation
        case "unbindable": .unbindablePropagation
        default: nil
        }
    }

    /// `bind,rec,ro` (or `rw` when no flag is set).
    public var names: String {
        let list = MountFlags.named.filter { contains($0.0) }.map(\.1)
        return list.isEmpty ? "rw" : list.joined(separator: ",")
    }
}
