import Glibc

/// What the engine reports about the machine it runs on (`/info`, `/version`).
public struct HostFacts: Sendable, Equatable {
    /// The kernel release (`uname -r`).
    public var kernelVersion: String
    /// The hardware name (`uname -m`: "x86_64", "aarch64").
    public var machine: String
    /// The host name (`uname -n`).
    public var hostname: String
    /// The distribution's name, from os-release `PRETTY_NAME`, or "Linux" without one.
    public var operatingSystem: String
    /// The distribution's version, from os-release `VERSION_ID`.
    public var osVersion: String?
    /// Processors online.
    public var cpuCount: Int
    /// Total memory in bytes.
    public var memoryTotal: Int64
    /// How cgroups are mounted.
    public var cgroupLayout: CgroupLayout

    public init(
        kernelVersion: String, machine: String, hostname: String, operatingSystem: String, osVersion: String?,
        cpuCount: Int, memoryTotal: Int64, cgroupLayout: CgroupLayout
    ) {
        self.kernelVersion = kernelVersion
        self.machine = machine
        self.hostname = hostname
        self.operatingSystem = operatingSystem
        self.osVersion = osVersion
        self.cpuCount = cpuCount
        self.memoryTotal = memoryTotal
        self.cgroupLayout = cgroupLayout
    }

    /// Reads the facts of this machine now: `uname`, `sysconf`, `/proc/meminfo`, os-release and `/proc/self/mountinfo`.
    public static func current() -> HostFacts {
        var names = utsname()
        let known = uname(&names) == 0
        let release = osRelease()
        return HostFacts(
            kernelVersion: known ? string(of: names.release) : "",
            machine: known ? string(of: names.machine) : "",
            hostname: known ? string(of: names.nodename) : "",
            operatingSystem: release?.prettyName ?? "Linux",
            osVersion: release?.versionID,
            cpuCount: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryTotal: memoryTotal(),
            cgroupLayout: CgroupLayout.detect()
        )
    }

    private static func osRelease() -> OSRelease? {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let bytes = try? AtomicFile.read(path, limit: 64 * 1024) {
                return OSRelease.parse(String(decoding: bytes, as: UTF8.self))
            }
        }
        return nil
    }

    /// `MemTotal` from `/proc/meminfo`, in bytes (0 when it cannot be read), as Docker reads it.
    private static func memoryTotal() -> Int64 {
        guard let bytes = try? AtomicFile.read("/proc/meminfo", limit: 64 * 1024) else { return 0 }
        return parseMemoryTotal(String(decoding: bytes, as: UTF8.self)) ?? 0
    }

    /// The `MemTotal:` line of a `/proc/meminfo` text, in bytes.
    public static func parseMemoryTotal(_ text: String) -> Int64? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let parts = line.dropFirst("MemTotal:".count).split(separator: " ")
            guard let value = parts.first.flatMap({ Int64($0) }) else { return nil }
            let unit = parts.dropFirst().first ?? ""
            return unit == "kB" ? value * 1024 : value
        }
        return nil
    }

    /// The text of a fixed-size C character array, up to its first NUL.
    private static func string<T>(of field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
