import CoveCore

/// A Linux capability, by its number in `<linux/capability.h>`.
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The capability's bit number.
    public let number: Int

    /// Every capability this build knows, in number order (`CAP_CHOWN` … `CAP_CHECKPOINT_RESTORE`).
    public static let names: [String] = [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
        "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
        "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
        "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
        "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
        "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
    ]

    /// Every capability this build knows: what `--privileged` grants.
    public static let all: Set<Capability> = Set(names.indices.map(Capability.init(number:)))

    /// Docker's default set (moby `oci/caps/defaults.go`), the same for bounding, permitted and effective.
    public static let dockerDefault: Set<Capability> = Set(
        [
            "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
            "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
        ].compactMap { Capability(name: $0) })

    init(number: Int) { self.number = number }

    /// A capability by name, with or without `CAP_`, in any case (`net_admin`, `CAP_NET_ADMIN`).
    public init?(name: String) {
        var upper = name.uppercased()
        if upper.hasPrefix("CAP_") { upper.removeFirst(4) }
        guard let index = Capability.names.firstIndex(of: upper) else { return nil }
        number = index
    }

    /// `CAP_NET_ADMIN`.
    public var description: String { "CAP_" + Capability.names[number] }

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.number < rhs.number }

    /// The set as a 64-bit mask, bit N for capability N.
    public static func mask(_ set: Set<Capability>) -> UInt64 {
        set.reduce(0) { $0 | (1 << UInt64($1.number)) }
    }

    /// Docker's rule for `--cap-add`/`--cap-drop` over a base set: names with or without `CAP_`,
    /// any case, `ALL`; drops apply first, then adds (so `--cap-drop ALL --cap-add X` keeps X).
    ///
    /// - Throws: `CoveError.invalidInput` for an unknown capability name.
    public static func resolve(base: Set<Capability>, add: [String], drop: [String]) throws(CoveError)
        -> Set<Capability>
    {
        func parse(_ names: [String], flag: String) throws(CoveError) -> (all: Bool, caps: Set<Capability>) {
            var caps: Set<Capability> = []
            var all = false
            for name in names {
                if name.uppercased() == "ALL" || name.uppercased() == "CAP_ALL" {
                    all = true
                } else if let cap = Capability(name: name) {
                    caps.insert(cap)
                } else {
                    throw CoveError(.invalidInput, "unknown capability: \"\(name)\" (\(flag))")
                }
            }
            return (all, caps)
        }
        let dropped = try parse(drop, flag: "--cap-drop")
        let added = try parse(add, flag: "--cap-add")
        var result = dropped.all ? [] : base.subtracting(dropped.caps)
        result.formUnion(added.all ? Capability.all : added.caps)
        return result
    }
}
