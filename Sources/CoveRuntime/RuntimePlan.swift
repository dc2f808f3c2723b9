import Crypto

/// What the shim does to build one container, as a value: the process, the namespaces, the
/// cgroups to join, the seccomp filter and the ordered steps. `description` is the plan as
/// text (what tests compare); `serialized()` is the shim's config file.
public struct RuntimePlan: Sendable, Equatable, CustomStringConvertible {
    /// The json-file log's name in the state directory (Docker's is `<id>-json.log`).
    public static let logName = "container-json.log"

    public var rootfs: String
    public var arguments: [String]
    public var environment: [String]
    public var tty: Bool
    public var openStdin: Bool
    public var initProcess: Bool
    public var namespaces: [Namespace]
    public var cgroup: CgroupPlan?
    public var seccomp: SeccompFilter?
    public var steps: [RuntimeStep]
    public var logPath: String
    public var logMaxSize: Int64
    public var logMaxFiles: Int
    /// A directory where the shim keeps compiled filters (BPF) by the SHA-256 of their rules,
    /// so a profile is compiled once, not per container; `nil` compiles every time.
    public var seccompCacheDirectory: String? = nil

    /// The sync points between the shim and the child, in order (see `CCoveShim/shim.h`).
    public static let syncPoints = [
        "sync 1 cloned: the child waits to be placed",
        "sync 2 placed: the shim wrote the child's pid into each cgroup.procs",
        "sync 3 ready: every step done, the child waits for start",
        "sync 4 exec: start; the child closes every descriptor above 2 and execs",
    ]

    public var description: String {
        var lines: [String] = []
        lines.append("namespaces " + namespaces.map(\.rawValue).joined(separator: " "))
        if let cgroup { lines += cgroup.description.split(separator: "\n").map { "cgroup " + $0 } }
        let flags = [tty ? "tty" : nil, openStdin ? "stdin" : nil, initProcess ? "init" : nil].compactMap { $0 }
        lines.append("process \(arguments)" + (flags.isEmpty ? "" : " " + flags.joined(separator: " ")))
        lines.append("env \(environment)")
        if let seccomp {
            lines.append(
                "seccomp default \(seccomp.defaultAction) arches \(seccomp.architectures.joined(separator: ","))")
        }
        lines.append(RuntimePlan.syncPoints[0])
        lines.append(RuntimePlan.syncPoints[1])
        for (index, step) in steps.enumerated() { lines.append("step \(index + 1) \(step)") }
        lines.append(RuntimePlan.syncPoints[2])
        lines.append(RuntimePlan.syncPoints[3])
        lines.append("step \(steps.count + 1) exec \(arguments.first ?? "")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The filter's records: what the shim compiles, and what its cache key hashes.
    static func records(_ seccomp: SeccompFilter) -> [UInt8] {
        var out: [UInt8] = []
        func record(_ name: String, _ arguments: [String]) {
            out += Array("\(name) \(arguments.count)\n".utf8)
            for argument in arguments {
                let bytes = Array(argument.utf8)
                out += Array("\(bytes.count):".utf8) + bytes + [UInt8(ascii: "\n")]
            }
        }
        let action = seccomp.defaultAction.encoded
        record("seccomp-default", [action.name, String(action.number)])
        for arch in seccomp.architectures { record("seccomp-arch", [arch]) }
        for rule in seccomp.rules {
            let action = rule.action.encoded
            let conditions = rule.conditions.flatMap {
                [String($0.index), $0.op, String($0.value), String($0.valueTwo)]
            }
            record("syscall", [rule.syscall, action.name, String(action.number)] + conditions)
        }
        return out
    }

    /// The shim's config: `cove-shim-config 1`, then records `NAME ARGC\n` each followed by its
    /// arguments as `LENGTH:BYTES\n`. Lengths make it safe for any bytes but NUL.
    public func serialized() -> [UInt8] {
        var out = Array("cove-shim-config 1\n".utf8)
        func record(_ name: String, _ arguments: [String]) {
            out += Array("\(name) \(arguments.count)\n".utf8)
            for argument in arguments {
                let bytes = Array(argument.utf8)
                out += Array("\(bytes.count):".utf8) + bytes + [UInt8(ascii: "\n")]
            }
        }
        record("rootfs", [rootfs])
        record("args", arguments)
        record("env", environment)
        if tty { record("tty", []) }
        if openStdin { record("open-stdin", []) }
        if initProcess { record("init", []) }
        record("namespaces", namespaces.map(\.rawValue))
        var joined: Set<String> = []
        for directory in cgroup?.directories ?? [] where joined.insert(directory.path).inserted {
            record("cgroup", [directory.path])
        }
        if let cgroup, cgroup.isV2, let devices = cgroup.devices, let directory = cgroup.directories.first {
            record("device-cgroup", [directory.path])
            for rule in devices {
                // `c 1:3 rwm` → c, 1, 3, rwm
                let parts = rule.split(separator: " ")
                let numbers = parts.count == 3 ? parts[1].split(separator: ":") : []
                guard numbers.count == 2 else { continue }
                record("device-allow", [String(parts[0]), String(numbers[0]), String(numbers[1]), String(parts[2])])
            }
        }
        record("log", [logPath, String(logMaxSize), String(logMaxFiles)])
        if let seccomp {
            let filter = RuntimePlan.records(seccomp)
            out += filter
            if let directory = seccompCacheDirectory {
                let hex = SHA256.hash(data: filter).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
                record("seccomp-cache", ["\(directory)/\(hex).bpf"])
            }
        }
        for step in steps { record("step", [step.name] + step.arguments) }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
