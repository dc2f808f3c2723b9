/// A resource limit (`setrlimit`), by Docker's `--ulimit` name.
public struct Rlimit: Sendable, Equatable {
    /// `nofile`, `nproc`, `core`, … (see `Rlimit.resources`).
    public var name: String
    public var soft: UInt64
    public var hard: UInt64

    /// `RLIM_INFINITY`.
    public static let unlimited = UInt64.max

    /// Docker's names and the resource numbers of `<sys/resource.h>` on Linux.
    public static let resources: [String: Int] = [
        "cpu": 0, "fsize": 1, "data": 2, "stack": 3, "core": 4, "rss": 5, "nproc": 6, "nofile": 7,
        "memlock": 8, "as": 9, "locks": 10, "sigpending": 11, "msgqueue": 12, "nice": 13, "rtprio": 14,
        "rttime": 15,
    ]

    public init(name: String, soft: UInt64, hard: UInt64) {
        self.name = name
        self.soft = soft
        self.hard = hard
    }
}
