import CoveCore
import CoveLinux

extension Cgroup {
    public func stats() -> ContainerStats {
        ContainerStats(
            memoryUsage: number(file("memory", "memory.usage_in_bytes", "memory.current")),
            memoryLimit: number(file("memory", "memory.limit_in_bytes", "memory.max")),
            cpuUsageNanoseconds: isV2
                ? field(file("cpu", "", "cpu.stat"), "usage_usec").map { $0 * 1000 }
                : number(file("cpuacct", "cpuacct.usage", "")),
            pids: number(file("pids", "pids.current", "pids.current")),
            pidsLimit: number(file("pids", "pids.max", "pids.max")))
    }

    /// How many times the kernel's OOM killer killed a process in this cgroup
    /// (v1 `memory.oom_control` `oom_kill`, v2 `memory.events` `oom_kill`).
    public func oomKills() -> Int64 {
        field(file("memory", "memory.oom_control", "memory.events"), "oom_kill") ?? 0
    }

    /// Freezes (`pause`) or thaws (`unpause`) every process, and waits until the kernel says so.
    public func setFrozen(_ frozen: Bool) throws(CoveError) {
        let control: String
        let value: String
        if isV2 {
            guard let path = paths["unified"] else { throw CoveError(.internalError, "no cgroup to freeze") }
            control = path + "/cgroup.freeze"
            value = frozen ? "1" : "0"
        } else {
            guard let path = paths["freezer"] else {
                throw CoveError(.conflict, "the freezer controller is not mounted")
            }
            control = path + "/freezer.state"
            value = frozen ? "FROZEN" : "THAWED"
        }
        try KernelFile.write(value, to: control)
        for _ in 0..<2000 {
            if isFrozen() == frozen { return }
            ChildProcess.sleep(microseconds: 1000)
        }
        throw CoveError(.io, "the cgroup did not become \(frozen ? "frozen" : "thawed") in 2 s")
    }

    /// Whether the freezer reports the cgroup frozen.
    public func isFrozen() -> Bool {
        if isV2 { return field(paths["unified"].map { $0 + "/cgroup.events" }, "frozen") == 1 }
        guard let path = paths["freezer"], let state = try? KernelFile.read(path + "/freezer.state") else {
            return false
        }
        return Cgroup.trimmed(state) == "FROZEN"
    }

    /// The pids in the cgroup (from the first directory's `cgroup.procs`).
    public func processes() -> [Int32] {
        guard let first = paths["unified"] ?? paths["pids"] ?? paths["memory"] ?? directories.first,
            let text = try? KernelFile.read(first + "/cgroup.procs")
        else { return [] }
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// Kills what is left inside (thawing it first), then removes every directory.
    public func remove() throws(CoveError) {
        if isFrozen() { try? setFrozen(false) }
        for _ in 0..<200 {
            let left = processes()
            if left.isEmpty { break }
            if isV2, let path = paths["unified"], KernelFile.exists(path + "/cgroup.kill") {
                try? KernelFile.write("1", to: path + "/cgroup.kill")
            } else {
                for pid in left { try? ChildProcess.signal(9, to: pid) }
            }
            ChildProcess.sleep(microseconds: 5000)
        }
        var failure: CoveError?
        for path in directories {
            var attempt = 0
            while true {
                do {
                    try KernelFile.removeDirectory(path)
                    break
                } catch {
                    attempt += 1
                    if attempt >= 100 {
                        failure = error
                        break
                    }
                    ChildProcess.sleep(microseconds: 10000)
                }
            }
        }
        if let failure { throw failure }
    }

    /// The cgroup as text for the state directory: one `controller path` line each.
    public var recorded: String {
        (isV2 ? "v2\n" : "v1\n") + paths.keys.sorted().map { "\($0) \(paths[$0] ?? "")" }.joined(separator: "\n") + "\n"
    }

    /// The cgroup `recorded` wrote.
    public init?(recorded text: String) {
        let lines = text.split(separator: "\n")
        guard let version = lines.first, version == "v1" || version == "v2" else { return nil }
        var paths: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            paths[String(parts[0])] = String(parts[1])
        }
        self.init(isV2: version == "v2", paths: paths)
    }
}
