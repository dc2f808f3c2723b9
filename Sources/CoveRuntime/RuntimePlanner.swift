import CoveCore

/// Turns a `ContainerSpec` into a `RuntimePlan`: pure, so every decision is tested as text
/// without root. The host facts it depends on are fields, filled by `Runtime` from the machine.
public struct RuntimePlanner: Sendable {
    /// The cgroup driver; `nil` plans no cgroup (a host without cgroups).
    public var hierarchy: CgroupHierarchy?
    /// The cgroup directory containers go under (`cove` → `/sys/fs/cgroup/memory/cove/ID`).
    public var cgroupParent: String = "cove"
    /// `uname -m` and `uname -r`: which seccomp rules apply.
    public var architecture: String
    public var kernel: String
    /// For the per-CPU masked `thermal_throttle` paths.
    public var cpuCount: Int
    /// The capabilities this process may grant (its bounding set): what `--privileged` gives.
    public var availableCapabilities: Set<Capability> = Capability.all

    public init(hierarchy: CgroupHierarchy?, architecture: String, kernel: String, cpuCount: Int) {
        self.hierarchy = hierarchy
        self.architecture = architecture
        self.kernel = kernel
        self.cpuCount = cpuCount
    }

    /// The plan for `spec`, run as `user`, with its files in `stateDirectory`.
    ///
    /// - Throws: `CoveError.invalidInput` for a spec Docker would refuse (relative paths, unknown
    ///   capabilities, rlimits or sysctls, a bad seccomp profile).
    public func plan(_ spec: ContainerSpec, user: ResolvedUser, stateDirectory: String) throws(CoveError)
        -> RuntimePlan
    {
        try SpecValidation.check(spec)
        let capabilities =
            spec.privileged
            ? availableCapabilities
            : try Capability.resolve(base: Capability.dockerDefault, add: spec.capAdd, drop: spec.capDrop)
        let seccomp = try seccompFilter(spec, capabilities: capabilities)
        let cgroup = hierarchy.map {
            CgroupPlan(
                hierarchy: $0, parent: cgroupParent, id: spec.id, limits: spec.resources, privileged: spec.privileged)
        }

        var steps: [RuntimeStep] = []
        if spec.namespaces.contains(.cgroup) { steps.append(.unshareCgroupNamespace) }
        // A bind that shares or receives mounts needs a root that is a slave of the host's, as
        // runc makes it; every other container root is private.
        let receives = spec.mounts.contains { !$0.flags.isDisjoint(with: [.sharedPropagation, .slavePropagation]) }
        steps += [.mountPropagation(receives ? "rslave" : "rprivate"), .bindRootfs]
        steps += mounts(spec, stateDirectory: stateDirectory).map(RuntimeStep.mount)
        steps.append(.pivotRoot)
        steps += RuntimeDefaults.devices.map(RuntimeStep.makeDevice)
        steps += RuntimeDefaults.deviceLinks.map { RuntimeStep.symlink(target: $0.0, path: $0.1) }
        if spec.tty {
            steps.append(.console)
        } else if !spec.openStdin {
            steps.append(.stdinNull)
        }
        if spec.namespaces.contains(.uts) { steps.append(.hostname(spec.hostname)) }
        steps += spec.sysctls.keys.sorted().map { RuntimeStep.sysctl(key: $0, value: spec.sysctls[$0] ?? "") }
        if !spec.privileged {
            steps += RuntimeDefaults.readonlyPaths.map(RuntimeStep.readonlyPath)
            let masked = RuntimeDefaults.maskedPaths + RuntimeDefaults.thermalThrottlePaths(cpuCount: cpuCount)
            steps += masked.map(RuntimeStep.maskPath)
        }
        if spec.readOnlyRootfs { steps.append(.readonlyRoot) }
        steps += spec.rlimits.map(RuntimeStep.rlimit)
        steps.append(.boundingSet(capabilities))
        // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the user switch
        // takes away: load it now (Docker's profile allows the calls that follow).
        if let seccomp, !spec.noNewPrivileges { steps.append(.seccomp(rules: seccomp.rules.count)) }
        steps.append(.user(uid: user.uid, gid: user.gid, groups: user.groups))
        steps.append(.workingDirectory(spec.workingDirectory))
        steps.append(.capabilities(effective: capabilities, permitted: capabilities, inheritable: [], ambient: []))
        if spec.noNewPrivileges { steps.append(.noNewPrivileges) }
        if let seccomp, spec.noNewPrivileges { steps.append(.seccomp(rules: seccomp.rules.count)) }

        return RuntimePlan(
            rootfs: spec.rootfs, arguments: spec.arguments,
            environment: RuntimeDefaults.environment(
                spec.environment, hostname: spec.hostname, home: user.home, tty: spec.tty),
            tty: spec.tty, openStdin: spec.openStdin, initProcess: spec.initProcess,
            namespaces: spec.namespaces.sorted(), cgroup: cgroup, seccomp: seccomp, steps: steps,
            logPath: "\(stateDirectory)/\(RuntimePlan.logName)", logMaxSize: spec.logMaxSize,
            logMaxFiles: spec.logMaxFiles)
    }

    func seccompFilter(_ spec: ContainerSpec, capabilities: Set<Capability>) throws(CoveError) -> SeccompFilter? {
        if spec.privileged { return nil }
        let profile: SeccompProfile
        switch spec.seccomp {
        case .unconfined: return nil
        case .dockerDefault: profile = try SeccompProfile.dockerDefault()
        case .profile(let text): profile = try SeccompProfile.parse(text)
        }
        return try SeccompCompiler.compile(
            profile, capabilities: capabilities, architecture: architecture, kernel: kernel)
    }

    /// Docker's mounts, the cgroup file system, the spec's own and the /etc files; a spec mount
    /// replaces a default at the same target; parents before children.
    func mounts(_ spec: ContainerSpec, stateDirectory: String) -> [Mount] {
        var defaults = RuntimeDefaults.baseMounts(
            privileged: spec.privileged, shmSize: spec.shmSize, namespaces: spec.namespaces)
        defaults += cgroupMounts(privileged: spec.privileged)
        let etc = [
            Mount.bind("\(stateDirectory)/resolv.conf", at: "/etc/resolv.conf", file: true),
            Mount.bind("\(stateDirectory)/hostname", at: "/etc/hostname", file: true),
            Mount.bind("\(stateDirectory)/hosts", at: "/etc/hosts", file: true),
        ]
        let taken = Set(spec.mounts.map(\.target))
        let user = (spec.mounts + etc.filter { !taken.contains($0.target) }).enumerated().sorted {
            let depths = ($0.element.target.split(separator: "/").count, $1.element.target.split(separator: "/").count)
            return depths.0 != depths.1 ? depths.0 < depths.1 : $0.offset < $1.offset
        }.map(\.element)
        return defaults.filter { !taken.contains($0.target) } + user
    }

    func cgroupMounts(privileged: Bool) -> [Mount] {
        var flags: MountFlags = [.noSuid, .noExec, .noDev, .relatime]
        if !privileged { flags.insert(.readOnly) }
        switch hierarchy?.version {
        case .v2:
            return [Mount(source: "cgroup", target: "/sys/fs/cgroup", type: "cgroup2", flags: flags)]
        case .v1(let controllers):
            var byMountPoint: [String: [String]] = [:]
            for (controller, mountPoint) in controllers { byMountPoint[mountPoint, default: []].append(controller) }
            let hierarchies = byMountPoint.keys.sorted().map { mountPoint in
                let name = mountPoint.split(separator: "/").last.map(String.init) ?? mountPoint
                let options = (byMountPoint[mountPoint] ?? []).sorted().joined(separator: ",")
                return Mount(
                    source: "cgroup", target: "/sys/fs/cgroup/\(name)", type: "cgroup", flags: flags, data: options)
            }
            let base = Mount(
                source: "tmpfs", target: "/sys/fs/cgroup", type: "tmpfs", flags: [.noSuid, .noExec, .noDev],
                data: "mode=755")
            var mounts = [base] + hierarchies
            if !privileged {
                // The tmpfs holding the hierarchies goes read-only once they are mounted.
                mounts.append(
                    Mount(
                        source: "none", target: "/sys/fs/cgroup", type: "",
                        flags: base.flags.union([.remount, .bind, .readOnly]),
                        create: .none))
            }
            return mounts
        case nil:
            return []
        }
    }
}
