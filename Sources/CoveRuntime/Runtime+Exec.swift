import CoveCore
import CoveLinux

/// `docker exec`: an extra process in a running container, supervised by a `cove-shim exec` of
/// its own (so execs run side by side, outlive the daemon, and each has its state record, log,
/// attach socket and control FIFO in its own directory), created then started as a container is.
extension Runtime {
    /// Plans the exec from the container's config, writes it to `stateDirectory` and starts its
    /// shim, which joins the container and waits, just before exec, for `start(_:)`. A client
    /// that wants every byte of output connects to `attachSocketPath` before starting.
    ///
    /// - Throws: `.conflict` when the container is not running or is paused (Docker's errors:
    ///   an exec in a paused container is refused, not queued); `.invalidInput` for a bad spec, an
    ///   unknown user, or a directory too long for the attach socket; `.io` with the failing step
    ///   (`exec step 6 setns mnt: …`). Nothing is left in `stateDirectory` on failure.
    public func exec(_ handle: ContainerHandle, process: ExecSpec, stateDirectory: String) throws(CoveError)
        -> ExecHandle
    {
        let container = try state(handle)
        guard container.status == .running else { throw CoveError(.conflict, "Container \(handle.id) is not running") }
        if let cgroup = handle.cgroup, cgroup.isFrozen() {
            throw CoveError(.conflict, "Container \(handle.id) is paused, unpause the container before exec")
        }
        guard stateDirectory.hasPrefix("/"), "\(stateDirectory)/attach.sock".utf8.count < 108 else {
            throw CoveError(
                .invalidInput, "exec state directory must be absolute and short (attach socket): \(stateDirectory)")
        }
        guard let bytes = try AtomicFile.read("\(handle.stateDirectory)/config", limit: 8 << 20) else {
            throw CoveError(.notFound, "no shim config for container \(handle.id)")
        }
        let records = try ShimRecord.parse(bytes)
        var user: ResolvedUser? = nil
        if let name = process.user, !name.isEmpty {
            let rootfs = records.first { $0.name == "rootfs" }?.arguments.first ?? ""
            user = try UserResolver.resolve(
                user: name, additionalGroups: process.additionalGroups, passwd: imageFile(rootfs, "etc/passwd"),
                group: imageFile(rootfs, "etc/group"))
        }
        let plan = try ExecPlanner.plan(
            process, container: records, initPid: container.pid, user: user,
            availableCapabilities: planner.availableCapabilities, stateDirectory: stateDirectory)
        try Directory.create(stateDirectory, mode: 0o711)
        let exec = ExecHandle(containerID: handle.id, stateDirectory: stateDirectory)
        do {
            try AtomicFile.write(plan.serialized(), to: "\(stateDirectory)/config", mode: 0o600, durable: false)
            try launcher.launchExec(shim: shimPath, stateDirectory: stateDirectory)
        } catch {
            try? removeFiles(exec)
            throw error
        }
        return exec
    }

    /// Lets the exec's process run and waits until its shim has seen the exec succeed or fail.
    ///
    /// - Throws: `.conflict` when it is not `created`; `.notFound` (exit 127) or `.invalidInput`
    ///   (126) when the program cannot be executed, as Docker reports them.
    public func start(_ exec: ExecHandle) throws(CoveError) {
        let before = try state(exec)
        guard before.status == .created else {
            throw CoveError(
                .conflict, "exec in container \(exec.containerID) is \(before.status.rawValue), not created")
        }
        try KernelFile.sendLine("start", toFIFO: exec.controlPath)
        for attempt in 0..<20_000 {
            let now = try state(exec)
            if now.status == .running { return }
            if now.status != .created {
                if !now.error.isEmpty {
                    let code: CoveError.Code = now.exitCode == 127 ? .notFound : .invalidInput
                    throw CoveError(code, "cannot exec in container \(exec.containerID)", cause: now.error)
                }
                return
            }
            ChildProcess.sleep(microseconds: attempt < 200 ? 100 : 1000)
        }
        throw CoveError(.io, "exec in container \(exec.containerID) did not start in time")
    }

    /// The exec's record (as a container's: status, host pid, exit code, times, error).
    public func state(_ exec: ExecHandle) throws(CoveError) -> ContainerState {
        guard let text = try KernelFile.read("\(exec.stateDirectory)/state"), var state = ContainerState(recorded: text)
        else { throw CoveError(.notFound, "no state recorded for exec in \(exec.stateDirectory)") }
        if (state.status == .created || state.status == .running) && !shimIsAlive(directory: exec.stateDirectory) {
            state.status = .unknown
        }
        return state
    }

    /// Waits until the exec's process has exited (or its set-up failed).
    public func wait(_ exec: ExecHandle, timeoutSeconds: Double = 30) throws(CoveError) -> ContainerState {
        for round in 0..<max(Int(timeoutSeconds * 1000), 1) {
            let current = try state(exec)
            if current.status != .running && current.status != .created { return current }
            ChildProcess.sleep(microseconds: round < 100 ? 200 : 1000)
        }
        throw CoveError(.io, "exec in container \(exec.containerID) did not exit in \(timeoutSeconds) s")
    }

    /// Sends `signal` (1–64) to the exec's process.
    public func kill(_ exec: ExecHandle, signal: Int32) throws(CoveError) {
        guard (1...64).contains(signal) else { throw CoveError(.invalidInput, "invalid signal: \(signal)") }
        try KernelFile.sendLine("kill \(signal)", toFIFO: exec.controlPath)
    }

    /// Resizes the exec's pty.
    public func resize(_ exec: ExecHandle, rows: Int, columns: Int) throws(CoveError) {
        guard (1...65535).contains(rows), (1...65535).contains(columns) else {
            throw CoveError(.invalidInput, "invalid terminal size \(rows)x\(columns)")
        }
        try KernelFile.sendLine("resize \(rows) \(columns)", toFIFO: exec.controlPath)
    }

    /// Closes the exec's standard input (the end of `docker exec -i` input).
    public func closeStdin(_ exec: ExecHandle) throws(CoveError) {
        try KernelFile.sendLine("close-stdin", toFIFO: exec.controlPath)
    }

    /// Removes the exec's state directory; a process still running is killed first.
    public func delete(_ exec: ExecHandle) throws(CoveError) {
        if let current = try? state(exec), current.status == .running || current.status == .created {
            try kill(exec, signal: 9)
            _ = try wait(exec, timeoutSeconds: 10)
        }
        try removeFiles(exec)
    }

    func removeFiles(_ exec: ExecHandle) throws(CoveError) {
        let names = [
            "config", "state", "state.tmp", "shim.pid", "shim.pid.tmp", "shim.log", "attach.sock", "control",
            ExecPlan.logName, ExecPlan.logName + ".1",
        ]
        for name in names { try AtomicFile.remove("\(exec.stateDirectory)/\(name)") }
        try KernelFile.removeDirectory(exec.stateDirectory)
    }

    func shimIsAlive(directory: String) -> Bool {
        guard let text = (try? KernelFile.read("\(directory)/shim.pid")).flatMap({ $0 }),
            let pid = Int32(text.split(separator: "\n").first ?? "")
        else { return false }
        return ChildProcess.exists(pid)
    }
}
