/// What the shim does to run one exec (`cove-shim exec`): the process, the container's init
/// whose namespaces it joins, the cgroups, the seccomp filter and the ordered child steps.
/// `description` is the plan as text (what tests compare); `serialized()` is the shim's config.
public struct ExecPlan: Sendable, Equatable, CustomStringConvertible {
    /// The exec's json-file log in its state directory.
    public static let logName = "exec-json.log"

    /// Every record but the steps: rootfs, args, env, tty, open-stdin, exec-pid, cgroup, log, seccomp.
    public var records: [ShimRecord]
    /// The child's steps in order; `name` is the step's kind.
    public var steps: [ShimRecord]

    /// The sync points between the exec's shim and its child (the create path's, see `RuntimePlan`).
    public static let syncPoints = [
        "sync 1 forked: the child, born in the container's pid namespace, waits to be placed",
        "sync 2 placed: the shim wrote the child's pid into each cgroup.procs",
        "sync 3 ready: every step done, the child waits for start",
        "sync 4 exec: start; the child closes every descriptor above 2 and execs",
    ]

    public var description: String {
        func values(_ name: String) -> [String] { records.first { $0.name == name }?.arguments ?? [] }
        let arguments = values("args")
        var lines = ["exec in pid \(values("exec-pid").first ?? "?")"]
        lines += records.filter { $0.name == "cgroup" }.map { "cgroup join \($0.arguments[0])" }
        let flags = ["tty", "open-stdin"].filter { name in records.contains { $0.name == name } }
        lines.append("process \(arguments)" + (flags.isEmpty ? "" : " " + flags.joined(separator: " ")))
        lines.append("env \(values("env"))")
        if let cache = records.first(where: { $0.name == "seccomp-cache" }) {
            lines.append("seccomp \(records.filter { $0.name == "syscall" }.count) rules cached \(cache.arguments[0])")
        }
        lines += ExecPlan.syncPoints[0..<2]
        for (index, step) in steps.enumerated() {
            lines.append("step \(index + 1) " + ([step.name] + step.arguments).joined(separator: " "))
        }
        lines += ExecPlan.syncPoints[2..<4]
        lines.append("step \(steps.count + 1) exec \(arguments.first ?? "")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The shim's config file.
    public func serialized() -> [UInt8] {
        ShimRecord.serialize(records + steps.map { ShimRecord("step", [$0.name] + $0.arguments) })
    }
}
