import CoveCore
import CoveLinux

/// The container runtime the daemon calls: create (plan, cgroups, shim), start, kill, state,
/// stats, pause/unpause, delete. Planning is pure (`planner`); spawning goes through `launcher`.
public struct Runtime: Sendable {
    public var planner: RuntimePlanner
    /// The `cove-shim` executable.
    public var shimPath: String
    /// Where compiled seccomp filters are kept (root-owned, 0700); `nil` compiles per container.
    public var seccompCacheDirectory: String?
    public var launcher: any ShimLauncher

    public init(planner: RuntimePlanner, shimPath: String, launcher: any ShimLauncher = ProcessShimLauncher()) {
        self.planner = planner
        self.shimPath = shimPath
        self.launcher = launcher
    }

    /// A runtime for this machine: its cgroup hierarchy (v1 controllers if any are mounted,
    /// else cgroup2), architecture, kernel and CPU count.
    public static func forHost(shimPath: String, cgroupParent: String = "cove") -> Runtime {
        let facts = HostFacts.current()
        let mountInfo = (try? KernelFile.read("/proc/self/mountinfo")).flatMap { $0 } ?? ""
        var planner = RuntimePlanner(
            hierarchy: CgroupHierarchy.detect(mountInfo: mountInfo), architecture: facts.machine,
            kernel: facts.kernelVersion, cpuCount: facts.cpuCount)
        planner.cgroupParent = cgroupParent
        let status = (try? KernelFile.read("/proc/self/status")).flatMap { $0 } ?? ""
        if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapBnd:") }),
            let mask = UInt64(line.dropFirst(7).trimmingPrefix(while: \.isWhitespace), radix: 16)
        {
            planner.availableCapabilities = Capability.all.filter { mask & (1 << UInt64($0.number)) != 0 }
        }
        return Runtime(planner: planner, shimPath: shimPath)
    }

    /// Builds the container: resolves the user in its `/etc/passwd`, plans it, writes its
    /// `/etc` files and the shim's config to `stateDirectory`, creates its cgroups, and
    /// starts its shim, which sets it up to just before exec. Nothing is left on failure.
    public func create(_ spec: ContainerSpec, stateDirectory: String) throws(CoveError) -> ContainerHandle {
        try Directory.create(stateDirectory, mode: 0o711)
        let user = try UserResolver.resolve(
            user: spec.user, additionalGroups: spec.additionalGroups,
            passwd: imageFile(spec.rootfs, "etc/passwd"), group: imageFile(spec.rootfs, "etc/group"))
        var plan = try planner.plan(spec, user: user, stateDirectory: stateDirectory)
        if let cache = seccompCacheDirectory {
            try Directory.create(cache, mode: 0o700)
            plan.seccompCacheDirectory = cache
        }
        let resolv =
            spec.resolvConf ?? ((try? KernelFile.read("/etc/resolv.conf")).flatMap { $0 } ?? "nameserver 8.8.8.8\n")
        try AtomicFile.write(Array(resolv.utf8), to: "\(stateDirectory)/resolv.conf", durable: false)
        try AtomicFile.write(Array((spec.hostname + "\n").utf8), to: "\(stateDirectory)/hostname", durable: false)
        let hosts = spec.hostsFile ?? RuntimeDefaults.hostsFile(hostname: spec.hostname)
        try AtomicFile.write(Array(hosts.utf8), to: "\(stateDirectory)/hosts", durable: false)
        // Written again from the daemon's record when lost; the exit record is the durable one.
        try AtomicFile.write(plan.serialized(), to: "\(stateDirectory)/config", mode: 0o600, durable: false)

        let cgroup = try plan.cgroup.map { (plan) throws(CoveError) in try Cgroup.create(plan) }
        if let cgroup { try AtomicFile.write(Array(cgroup.recorded.utf8), to: "\(stateDirectory)/cgroup") }
        do {
            try launcher.launch(shim: shimPath, stateDirectory: stateDirectory)
        } catch {
            try? cgroup?.remove()
            throw error
        }
        return ContainerHandle(id: spec.id, stateDirectory: stateDirectory, cgroup: cgroup)
    }

    /// The handle of a container created earlier (by this or an earlier daemon).
    public func adopt(id: String, stateDirectory: String) throws(CoveError) -> ContainerHandle {
        guard KernelFile.exists("\(stateDirectory)/state") else {
            throw CoveError(.notFound, "no container state in \(stateDirectory)")
        }
        let cgroup = (try KernelFile.read("\(stateDirectory)/cgroup")).flatMap { Cgroup(recorded: $0) }
        return ContainerHandle(id: id, stateDirectory: stateDirectory, cgroup: cgroup)
    }

    /// Lets the container's process run (the init execs it), and waits until the shim has seen
    /// the exec succeed or fail.
    ///
    /// - Throws: `.conflict` when it is not `created`; `.notFound` (exit 127) or `.invalidInput`
    ///   (126) when the program cannot be executed.
    public func start(_ handle: ContainerHandle) throws(CoveError) {
        let before = try state(handle)
        guard before.status == .created else {
            throw CoveError(.conflict, "container \(handle.id) is \(before.status.rawValue), not created")
        }
        try KernelFile.sendLine("start", toFIFO: handle.controlPath)
        for attempt in 0..<20_000 {
            let now = try state(handle)
            if now.status == .running { return }
            if now.status != .created {
                if !now.error.isEmpty {
                    let code: CoveError.Code = now.exitCode == 127 ? .notFound : .invalidInput
                    throw CoveError(code, "cannot start container \(handle.id)", cause: now.error)
                }
                return
            }
            ChildProcess.sleep(microseconds: attempt < 200 ? 100 : 1000)
        }
        throw CoveError(.io, "container \(handle.id) did not start in time")
    }

    /// Sends `signal` (1–64) to the container's init through its shim.
    public func kill(_ handle: ContainerHandle, signal: Int32) throws(CoveError) {
        guard (1...64).contains(signal) else { throw CoveError(.invalidInput, "invalid signal: \(signal)") }
        let current = try state(handle)
        guard current.status == .running || current.status == .created else {
            throw CoveError(.conflict, "container \(handle.id) is not running")
        }
        try KernelFile.sendLine("kill \(signal)", toFIFO: handle.controlPath)
    }

    /// Resizes the container's pty.
    public func resize(_ handle: ContainerHandle, rows: Int, columns: Int) throws(CoveError) {
        guard (1...65535).contains(rows), (1...65535).contains(columns) else {
            throw CoveError(.invalidInput, "invalid terminal size \(rows)x\(columns)")
        }
        try KernelFile.sendLine("resize \(rows) \(columns)", toFIFO: handle.controlPath)
    }

    /// Closes the container's standard input (the end of `docker run -i` input).
    public func closeStdin(_ handle: ContainerHandle) throws(CoveError) {
        try KernelFile.sendLine("close-stdin", toFIFO: handle.controlPath)
    }

    /// The shim's record, with the OOM killer's verdict from the cgroup; `unknown` when the
    /// record says created or running but the shim is gone.
    public func state(_ handle: ContainerHandle) throws(CoveError) -> ContainerState {
        guard let text = try KernelFile.read("\(handle.stateDirectory)/state"),
            var state = ContainerState(recorded: text)
        else { throw CoveError(.notFound, "no state recorded for container \(handle.id)") }
        if state.status == .exited || state.status == .failed {
            state.oomKilled = (handle.cgroup?.oomKills() ?? 0) > 0
        } else if !shimIsAlive(handle) {
            state.status = .unknown
        }
        return state
    }

    func shimIsAlive(_ handle: ContainerHandle) -> Bool {
        guard let text = (try? KernelFile.read("\(handle.stateDirectory)/shim.pid")).flatMap({ $0 }),
            let pid = Int32(text.split(separator: "\n").first ?? "")
        else { return false }
        return ChildProcess.exists(pid)
    }

    /// Waits until the container is no longer created or running (polling the shim's record;
    /// the daemon will rather watch the state directory).
    public func wait(_ handle: ContainerHandle, timeoutSeconds: Double = 30) throws(CoveError) -> ContainerState {
        let rounds = Int(timeoutSeconds * 1000)
        for round in 0..<max(rounds, 1) {
            let current = try state(handle)
            if current.status != .running && current.status != .created { return current }
            ChildProcess.sleep(microseconds: round < 100 ? 200 : 1000)
        }
        throw CoveError(.io, "container \(handle.id) did not exit in \(timeoutSeconds) s")
    }

    public func stats(_ handle: ContainerHandle) throws(CoveError) -> ContainerStats {
        guard let cgroup = handle.cgroup else { throw CoveError(.notFound, "container \(handle.id) has no cgroup") }
        return cgroup.stats()
    }

    public func pause(_ handle: ContainerHandle) throws(CoveError) {
        guard let cgroup = handle.cgroup else { throw CoveError(.conflict, "container \(handle.id) has no cgroup") }
        try cgroup.setFrozen(true)
    }

    public func unpause(_ handle: ContainerHandle) throws(CoveError) {
        guard let cgroup = handle.cgroup else { throw CoveError(.conflict, "container \(handle.id) has no cgroup") }
        try cgroup.setFrozen(false)
    }

    /// Removes the container's cgroups once it has exited; `force` kills it first. The state
    /// directory (log, exit record) stays for the caller to remove.
    public func delete(_ handle: ContainerHandle, force: Bool = false) throws(CoveError) {
        var current = try state(handle)
        if current.status == .running || current.status == .created {
            guard force else { throw CoveError(.conflict, "container \(handle.id) is running: stop it first or force") }
            if let cgroup = handle.cgroup, cgroup.isFrozen() { try cgroup.setFrozen(false) }
            try kill(handle, signal: 9)
            current = try wait(handle, timeoutSeconds: 10)
        }
        try handle.cgroup?.remove()
    }

    /// A file of the image, as text; empty when absent. A symbolic link is not followed out of
    /// the image: `/etc/passwd` must be a regular file for its entries to count.
    func imageFile(_ rootfs: String, _ path: String) throws(CoveError) -> String {
        let full = "\(rootfs)/\(path)"
        guard !KernelFile.isSymbolicLink(full), !KernelFile.isSymbolicLink("\(rootfs)/etc") else { return "" }
        return try KernelFile.read(full) ?? ""
    }
}
