import CoveCore

/// Plans an exec from its container's shim config (the records `RuntimePlan.serialized()`
/// wrote): pure, so every decision is tested as text without root.
///
/// The exec joins each namespace the container has (pid first, which the shim joins before it
/// forks; mnt last, after which paths resolve inside the container), then gets the container's
/// rlimits, bounding set, seccomp filter (the same rules and cache file, so the compiled BPF is
/// reused), capabilities and no_new_privs, in the create path's order; user and working
/// directory are the exec's when given.
public enum ExecPlanner {
    /// The container's namespace names (`Namespace`) and their `/proc/PID/ns` names, in join order.
    static let joinOrder: [(String, String)] = [
        ("pid", "pid"), ("ipc", "ipc"), ("uts", "uts"), ("network", "net"), ("cgroup", "cgroup"), ("mount", "mnt"),
    ]
    static let seccompRecords: Set<String> = ["seccomp-default", "seccomp-arch", "syscall", "seccomp-cache"]

    /// The plan for `exec` in the container whose config is `container` and whose init is
    /// `initPid`; `user` is the exec's `-u` resolved (`nil`: the container's user).
    ///
    /// - Throws: `CoveError.invalidInput` with Docker's wording for an empty command or a
    ///   relative working directory; `.io` for a container config without a process or rootfs.
    public static func plan(
        _ exec: ExecSpec, container: [ShimRecord], initPid: Int32, user: ResolvedUser?,
        availableCapabilities: Set<Capability>, stateDirectory: String
    ) throws(CoveError) -> ExecPlan {
        guard let program = exec.arguments.first, !program.isEmpty else {
            throw CoveError(.invalidInput, "No exec command specified")
        }
        if let directory = exec.workingDirectory, !directory.hasPrefix("/") {
            throw CoveError(
                .invalidInput, "the working directory '\(directory)' is invalid, it needs to be an absolute path")
        }
        for entry in exec.environment where entry.isEmpty || entry.hasPrefix("=") {
            throw CoveError(.invalidInput, "invalid environment variable: \(entry)")
        }
        func first(_ name: String) -> ShimRecord? { container.first { $0.name == name } }
        let containerSteps = container.filter { $0.name == "step" && !$0.arguments.isEmpty }.map {
            ShimRecord($0.arguments[0], Array($0.arguments.dropFirst()))
        }
        func step(_ kind: String) -> ShimRecord? { containerSteps.first { $0.name == kind } }
        guard let rootfs = first("rootfs"), let containerUser = step("user") else {
            throw CoveError(.io, "the container's shim config has no rootfs or no user step")
        }

        let namespaces = Set(first("namespaces")?.arguments ?? [])
        var steps = joinOrder.filter { namespaces.contains($0.0) }.map { ShimRecord("setns", [$0.1]) }
        if exec.tty {
            steps.append(ShimRecord("pty"))
        } else if !exec.openStdin {
            steps.append(ShimRecord("stdin-null"))
        }
        steps += containerSteps.filter { $0.name == "rlimit" }
        let all = String(Capability.mask(availableCapabilities))
        if exec.privileged {
            steps.append(ShimRecord("bounding", [all]))
        } else if let bounding = step("bounding") {
            steps.append(bounding)
        }
        let noNewPrivileges = step("no-new-privs") != nil
        let seccomp = step("seccomp") != nil
        if seccomp && !noNewPrivileges { steps.append(ShimRecord("seccomp")) }
        if let user {
            steps.append(ShimRecord("user", [String(user.uid), String(user.gid)] + user.groups.map(String.init)))
        } else {
            steps.append(containerUser)
        }
        steps.append(ShimRecord("chdir", [exec.workingDirectory ?? step("chdir")?.arguments.first ?? "/"]))
        if exec.privileged {
            steps.append(ShimRecord("caps", [all, all, "0", "0"]))
        } else if let caps = step("caps") {
            steps.append(caps)
        }
        if noNewPrivileges { steps.append(ShimRecord("no-new-privs")) }
        if seccomp && noNewPrivileges { steps.append(ShimRecord("seccomp")) }

        var records = [rootfs, ShimRecord("args", exec.arguments)]
        records.append(ShimRecord("env", environment(exec, container: first("env")?.arguments ?? [], user: user)))
        if exec.tty { records.append(ShimRecord("tty")) }
        if exec.openStdin { records.append(ShimRecord("open-stdin")) }
        records.append(ShimRecord("exec-pid", [String(initPid)]))
        records += container.filter { $0.name == "cgroup" }
        records.append(
            ShimRecord("log", ["\(stateDirectory)/\(ExecPlan.logName)", String(max(exec.logMaxSize, 0)), "1"]))
        if seccomp { records += container.filter { seccompRecords.contains($0.name) } }
        return ExecPlan(records: records, steps: steps)
    }

    /// The container's environment with the exec's entries replacing those of the same key;
    /// `TERM=xterm` with a tty and `HOME` of a `-u` user, unless the exec sets them.
    static func environment(_ exec: ExecSpec, container: [String], user: ResolvedUser?) -> [String] {
        func key(_ entry: String) -> Substring { entry.split(separator: "=", maxSplits: 1).first ?? Substring(entry) }
        var result = container
        for entry in exec.environment {
            if let index = result.firstIndex(where: { key($0) == key(entry) }) {
                result[index] = entry
            } else {
                result.append(entry)
            }
        }
        let given = Set(exec.environment.map(key))
        if exec.tty && !result.contains(where: { key($0) == "TERM" }) { result.append("TERM=xterm") }
        if let home = user?.home, !given.contains("HOME") {
            result.removeAll { key($0) == "HOME" }
            result.append("HOME=\(home)")
        }
        return result
    }
}
