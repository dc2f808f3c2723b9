import CoveCore

/// Decides a Docker seccomp profile for one container, as moby's `setupSeccomp` does: an entry
/// applies when every capability in `includes.caps` is in the bounding set, the architecture is
/// in `includes.arches`, the kernel is at least `includes.minKernel`, and neither an
/// `excludes.caps` capability is held nor the architecture is in `excludes.arches`.
public enum SeccompCompiler {
    /// - Parameters:
    ///   - architecture: the host's `uname -m` (`x86_64`, `aarch64`).
    ///   - kernel: the host's release (`6.1.0-13-amd64`).
    /// - Throws: `CoveError.invalidInput` for an unknown action or comparison.
    public static func compile(
        _ profile: SeccompProfile, capabilities: Set<Capability>, architecture: String, kernel: String
    ) throws(CoveError) -> SeccompFilter {
        let native = nativeArchitecture(architecture)
        let goArch = goArchitectureName(architecture)
        let kernelVersion = version(kernel)
        let held = Set(capabilities.map(\.description))
        var rules: [SeccompRule] = []
        for entry in profile.syscalls {
            if let include = entry.includes {
                if let arches = include.arches, !arches.isEmpty, !arches.contains(goArch) { continue }
                if let caps = include.caps, !caps.allSatisfy(held.contains) { continue }
                if let minimum = include.minKernel, kernelVersion.lexicographicallyPrecedes(version(minimum)) {
                    continue
                }
            }
            if let exclude = entry.excludes {
                if let arches = exclude.arches, arches.contains(goArch) { continue }
                if let caps = exclude.caps, caps.contains(where: held.contains) { continue }
            }
            let action = try self.action(entry.action, errno: entry.errnoRet ?? profile.defaultErrnoRet ?? 1)
            let conditions = try (entry.args ?? []).map { (argument) throws(CoveError) in
                SeccompRule.Condition(
                    index: argument.index, op: try comparison(argument.op), value: argument.value,
                    valueTwo: argument.valueTwo ?? 0)
            }
            for name in entry.names {
                rules.append(SeccompRule(syscall: name, action: action, conditions: conditions))
            }
        }
        var arches = [native]
        if let map = profile.archMap?.first(where: { nativeArchitecture(from: $0.architecture) == native }) {
            arches += (map.subArchitectures ?? []).map(nativeArchitecture(from:))
        } else if let listed = profile.architectures {
            arches += listed.map(nativeArchitecture(from:)).filter { $0 != native }
        }
        return SeccompFilter(
            defaultAction: try action(profile.defaultAction, errno: profile.defaultErrnoRet ?? 1),
            architectures: arches, rules: rules)
    }

    static func action(_ name: String, errno: Int) throws(CoveError) -> SeccompAction {
        switch name {
        case "SCMP_ACT_ALLOW": .allow
        case "SCMP_ACT_ERRNO": .errno(errno)
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": .killThread
        case "SCMP_ACT_KILL_PROCESS": .killProcess
        case "SCMP_ACT_TRAP": .trap
        case "SCMP_ACT_TRACE": .trace(errno)
        case "SCMP_ACT_LOG": .log
        default: throw CoveError(.invalidInput, "seccomp profile: unsupported action \"\(name)\"")
        }
    }

    static func comparison(_ op: String) throws(CoveError) -> String {
        let table = [
            "SCMP_CMP_NE": "ne", "SCMP_CMP_LT": "lt", "SCMP_CMP_LE": "le", "SCMP_CMP_EQ": "eq",
            "SCMP_CMP_GE": "ge", "SCMP_CMP_GT": "gt", "SCMP_CMP_MASKED_EQ": "masked-eq",
        ]
        guard let name = table[op] else {
            throw CoveError(.invalidInput, "seccomp profile: unknown comparison \"\(op)\"")
        }
        return name
    }

    /// `SCMP_ARCH_X86_64` → `x86_64` (libseccomp's name).
    static func nativeArchitecture(from scmp: String) -> String {
        scmp.hasPrefix("SCMP_ARCH_") ? String(scmp.dropFirst(10)).lowercased() : scmp.lowercased()
    }

    /// `uname -m` → libseccomp's name for it.
    static func nativeArchitecture(_ machine: String) -> String {
        switch machine {
        case "aarch64": "aarch64"
        case "i386", "i686": "x86"
        default: machine
        }
    }

    /// `uname -m` → Go's GOARCH, the names `includes.arches` uses.
    static func goArchitectureName(_ machine: String) -> String {
        switch machine {
        case "x86_64": "amd64"
        case "aarch64": "arm64"
        case "i386", "i686": "386"
        case "armv7l": "arm"
        default: machine
        }
    }

    /// `6.1.0-13-amd64` → [6, 1].
    static func version(_ text: String) -> [Int] {
        text.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
    }
}
