import CoveAPI
import CoveCore
import CoveImage
import CoveRuntime

/// Turns a create request and its image's config into what the container runs, with Docker's
/// rules: the request's `Entrypoint` replaces the image's (and then drops the image's `Cmd`), its
/// `Cmd` replaces the image's, environments merge by name, labels merge, and the working
/// directory and user fall back to the image's; the image's `Volumes` join the request's.
enum ContainerSpecBuilder {
    /// The request completed from the image's config, as inspect shows it.
    static func complete(_ request: ContainerCreateRequest, image: ContainerConfig?) -> ContainerCreateRequest {
        var merged = request
        let entrypoint = request.entrypoint ?? image?.entrypoint.map(StringList.init)
        var cmd = request.cmd
        if cmd == nil || cmd?.values.isEmpty == true {
            cmd = request.entrypoint == nil ? image?.cmd.map(StringList.init) : nil
        }
        merged.entrypoint = entrypoint?.values.filter { !$0.isEmpty }.isEmpty == false ? entrypoint : nil
        merged.cmd = cmd
        merged.env = mergeEnvironment(image?.env ?? [], request.env ?? [])
        if (merged.workingDir ?? "").isEmpty { merged.workingDir = image?.workingDir ?? "" }
        if (merged.user ?? "").isEmpty { merged.user = image?.user ?? "" }
        merged.labels = (image?.labels ?? [:]).merging(request.labels ?? [:]) { _, new in new }
        for target in image?.volumes?.keys ?? [] where merged.volumes?[target] == nil {
            merged.volumes = (merged.volumes ?? [:]).merging([target: [:]]) { old, _ in old }
        }
        if merged.stopSignal == nil { merged.stopSignal = image?.stopSignal }
        merged.healthcheck = HealthRules.merge(request.healthcheck, image: image?.healthcheck)
        var host = merged.hostConfig ?? HostConfig()
        if (host.restartPolicy?.name ?? "").isEmpty {
            host.restartPolicy = RestartPolicy(
                name: "no", maximumRetryCount: host.restartPolicy?.maximumRetryCount ?? 0)
        }
        if (host.logConfig?.type ?? "").isEmpty {
            host.logConfig = HostConfig.LogConfig(type: "json-file", config: host.logConfig?.config ?? [:])
        }
        merged.hostConfig = host
        return merged
    }

    /// The program and its arguments; `invalidInput` (Docker's `no command specified`) when empty.
    static func arguments(_ config: ContainerCreateRequest) throws(CoveError) -> [String] {
        let arguments = (config.entrypoint?.values ?? []) + (config.cmd?.values ?? [])
        guard let first = arguments.first, !first.isEmpty else {
            throw CoveError(.invalidInput, "no command specified")
        }
        return arguments
    }

    /// `image` entries first, then the request's, a later `NAME=` replacing an earlier one.
    static func mergeEnvironment(_ image: [String], _ request: [String]) -> [String] {
        var result: [String] = []
        for entry in image + request {
            let name = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            if let index = result.firstIndex(where: { $0 == name || $0.hasPrefix(name + "=") }) {
                result[index] = entry
            } else {
                result.append(entry)
            }
        }
        return result
    }

    /// The runtime's spec for a completed request.
    /// `volumes` holds the host directory of each volume mount by its target.
    static func spec(
        id: String, config: ContainerCreateRequest, rootfs: String, volumes: [String: String]
    ) throws(CoveError) -> ContainerSpec {
        let host = config.hostConfig ?? HostConfig()
        let hostname = (config.hostname ?? "").isEmpty ? String(id.prefix(12)) : config.hostname ?? ""
        var spec = ContainerSpec(id: id, rootfs: rootfs, arguments: try arguments(config), hostname: hostname)
        spec.environment = config.env ?? []
        let workingDirectory = config.workingDir ?? ""
        if !workingDirectory.isEmpty {
            guard workingDirectory.hasPrefix("/") else {
                throw CoveError(
                    .invalidInput,
                    "the working directory '\(workingDirectory)' is invalid, it needs to be an absolute path")
            }
            spec.workingDirectory = workingDirectory
        }
        spec.user = config.user ?? ""
        spec.additionalGroups = host.groupAdd ?? []
        spec.tty = config.tty ?? false
        spec.openStdin = config.openStdin ?? false
        spec.initProcess = host.initProcess ?? false
        spec.capAdd = host.capAdd ?? []
        spec.capDrop = host.capDrop ?? []
        spec.privileged = host.privileged ?? false
        spec.readOnlyRootfs = host.readonlyRootfs ?? false
        spec.sysctls = host.sysctls ?? [:]
        switch host.networkMode ?? "" {
        case "host": spec.namespaces.remove(.network)
        case "", "default", "bridge", "none": break
        case let mode: throw CoveError(.invalidInput, "network mode \(mode) is not supported yet")
        }
        try applySecurityOptions(host.securityOpt ?? [], to: &spec)
        for limit in host.ulimits ?? [] {
            guard Rlimit.resources[limit.name] != nil else {
                throw CoveError(.invalidInput, "invalid ulimit type: \(limit.name)")
            }
            let soft = limit.soft < 0 ? Rlimit.unlimited : UInt64(limit.soft)
            let hard = limit.hard < 0 ? Rlimit.unlimited : UInt64(limit.hard)
            spec.rlimits.append(Rlimit(name: limit.name, soft: soft, hard: hard))
        }
        spec.resources = try limits(host)
        if let shm = host.shmSize, shm > 0 { spec.shmSize = shm }
        spec.mounts = try mounts(RequestedMounts.parse(config), volumes: volumes)
        if let log = host.logConfig {
            guard log.type == "json-file" else {
                throw CoveError(
                    .invalidInput, "logging driver \(log.type) is not supported: cove writes json-file logs")
            }
            if let size = log.config["max-size"] { spec.logMaxSize = try byteSize(size, option: "max-size") }
            if let files = log.config["max-file"] {
                guard let count = Int(files), count >= 1 else {
                    throw CoveError(.invalidInput, "invalid value for max-file: \(files)")
                }
                spec.logMaxFiles = count
            }
        }
        return spec
    }

    /// The cgroup limits a `HostConfig` asks for (create and `update` both read them).
    static func limits(_ host: HostConfig) throws(CoveError) -> CgroupLimits {
        var limits = CgroupLimits()
        if let memory = host.memory, memory > 0 { limits.memory = memory }
        if let swap = host.memorySwap, swap != 0 { limits.memorySwap = swap }
        if let shares = host.cpuShares, shares > 0 { limits.cpuShares = shares }
        if let period = host.cpuPeriod, period > 0 { limits.cpuPeriod = period }
        if let quota = host.cpuQuota, quota > 0 { limits.cpuQuota = quota }
        if let cpus = host.cpusetCpus, !cpus.isEmpty { limits.cpusetCpus = cpus }
        if let nano = host.nanoCpus, nano > 0 {
            if host.cpuQuota ?? 0 > 0 {
                throw CoveError(.invalidInput, "Conflicting options: Nano CPUs and CPU Quota cannot both be set")
            }
            limits.setCPUs(Double(nano) / 1e9)
        }
        if let pids = host.pidsLimit, pids != 0 { limits.pidsLimit = pids }
        return limits
    }

    /// `10m`, `1g`, `512k`, `4096` (Docker's `units.RAMInBytes`).
    static func byteSize(_ text: String, option: String) throws(CoveError) -> Int64 {
        let lower = text.lowercased().replacingOccurrences(of: "b", with: "")
        let units: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
        var number = Substring(lower)
        var multiplier: Int64 = 1
        if let last = number.last, let unit = units[last] {
            multiplier = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value >= 0 else {
            throw CoveError(.invalidInput, "invalid value for \(option): \(text)")
        }
        return Int64(value * Double(multiplier))
    }

    /// `--security-opt`: `seccomp=unconfined`, `seccomp=<profile JSON>` (the CLI sends the
    /// file's content), `no-new-privileges[=true|false]`; `apparmor=` and `label=` have no
    /// effect on a host without those modules and are accepted.
    static func applySecurityOptions(_ options: [String], to spec: inout ContainerSpec) throws(CoveError) {
        for option in options {
            let separator = option.firstIndex(where: { $0 == "=" || $0 == ":" })
            let key = separator.map { String(option[..<$0]) } ?? option
            let value = separator.map { String(option[option.index(after: $0)...]) } ?? ""
            switch key {
            case "seccomp":
                if value == "unconfined" {
                    spec.seccomp = .unconfined
                } else if value.hasPrefix("{") {
                    spec.seccomp = .profile(value)
                } else {
                    throw CoveError(.invalidInput, "invalid --security-opt seccomp value: \(value)")
                }
            case "no-new-privileges":
                guard value.isEmpty || value == "true" || value == "false" else {
                    throw CoveError(.invalidInput, "invalid --security-opt 2: \"\(option)\"")
                }
                spec.noNewPrivileges = value != "false"
            case "apparmor", "label":
                continue
            default:
                throw CoveError(.invalidInput, "invalid --security-opt 1: \"\(option)\"")
            }
        }
    }

    /// The runtime's mounts for the request's mounts; `volumes` holds each volume mount's host
    /// directory by its target (`ContainerVolumes` prepares them).
    static func mounts(_ requested: [RequestedMount], volumes: [String: String]) throws(CoveError) -> [Mount] {
        var mounts: [Mount] = []
        for mount in requested {
            switch mount.kind {
            case .bind(let source, _):
                let propagation = MountFlags.propagation(mount.propagation) ?? .privatePropagation
                mounts.append(.bind(source, at: mount.target, readOnly: mount.readOnly, propagation: propagation))
            case .volume:
                guard let path = volumes[mount.target] else {
                    throw CoveError(.internalError, "no volume was prepared for \(mount.target)")
                }
                mounts.append(.bind(path, at: mount.target, readOnly: mount.readOnly))
            case .tmpfs(let options):
                mounts.append(tmpfs(mount.target, options: options))
            }
        }
        return mounts
    }

    /// A tmpfs with Docker's default flags (`nosuid,nodev,noexec`) changed by `options`; the
    /// other options (`size=`, `mode=`) go to the file system.
    static func tmpfs(_ target: String, options: String) -> Mount {
        var flags: MountFlags = [.noSuid, .noDev, .noExec]
        var data: [String] = []
        for option in options.split(separator: ",").map(String.init) {
            switch option {
            case "ro": flags.insert(.readOnly)
            case "rw": flags.remove(.readOnly)
            case "exec": flags.remove(.noExec)
            case "noexec": flags.insert(.noExec)
            case "suid": flags.remove(.noSuid)
            case "nosuid": flags.insert(.noSuid)
            case "dev": flags.remove(.noDev)
            case "nodev": flags.insert(.noDev)
            default: data.append(option)
            }
        }
        return Mount(source: "tmpfs", target: target, type: "tmpfs", flags: flags, data: data.joined(separator: ","))
    }

    /// The mounts as list and inspect show them; `volumes` names each volume mount's volume by
    /// its target, `volumesRoot` is `<root>/volumes`.
    static func mountPoints(_ requested: [RequestedMount], volumes: [String: String], volumesRoot: String)
        -> [MountPoint]
    {
        requested.map { mount in
            switch mount.kind {
            case .bind(let source, _):
                return MountPoint(
                    type: "bind", source: source, destination: mount.target, mode: mount.mode,
                    readWrite: !mount.readOnly, propagation: mount.propagation)
            case .volume(let name, _, _):
                let name = volumes[mount.target] ?? name ?? ""
                return MountPoint(
                    type: "volume", name: name, source: name.isEmpty ? "" : "\(volumesRoot)/\(name)/_data",
                    destination: mount.target, driver: "local", mode: mount.mode, readWrite: !mount.readOnly,
                    propagation: "")
            case .tmpfs:
                return MountPoint(
                    type: "tmpfs", source: "", destination: mount.target, mode: "", readWrite: !mount.readOnly)
            }
        }
    }
}
