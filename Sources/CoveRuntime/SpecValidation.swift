import CoveCore

/// The checks Docker makes on a container's configuration before creating it.
enum SpecValidation {
    static func check(_ spec: ContainerSpec) throws(CoveError) {
        let idCharacters = spec.id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        guard !spec.id.isEmpty, spec.id.count <= 128, idCharacters, !spec.id.hasPrefix(".") else {
            throw CoveError(.invalidInput, "invalid container id \"\(spec.id)\"")
        }
        guard spec.rootfs.hasPrefix("/") else { throw CoveError(.invalidInput, "the rootfs path must be absolute") }
        guard let program = spec.arguments.first, !program.isEmpty else {
            throw CoveError(.invalidInput, "no command specified")
        }
        guard isCleanAbsolute(spec.workingDirectory) else {
            throw CoveError(
                .invalidInput, "the working directory \"\(spec.workingDirectory)\" is invalid: it must be absolute")
        }
        for mount in spec.mounts where !isCleanAbsolute(mount.target) || mount.target == "/" {
            throw CoveError(.invalidInput, "invalid mount target \"\(mount.target)\": it must be an absolute path")
        }
        guard !spec.hostname.isEmpty, spec.hostname.utf8.count <= 64, !spec.hostname.contains("/") else {
            throw CoveError(.invalidInput, "invalid hostname \"\(spec.hostname)\"")
        }
        for limit in spec.rlimits {
            guard Rlimit.resources[limit.name] != nil else {
                throw CoveError(.invalidInput, "invalid ulimit type: \(limit.name)")
            }
            guard limit.soft <= limit.hard else {
                throw CoveError(
                    .invalidInput, "ulimit soft limit must be less than or equal to hard limit: \(limit.name)")
            }
        }
        for key in spec.sysctls.keys.sorted() where !sysctlIsNamespaced(key, spec.namespaces) {
            throw CoveError(.invalidInput, "sysctl \"\(key)\" is not allowed in the container's namespaces")
        }
        if let memory = spec.resources.memory, memory < 6 << 20 {
            throw CoveError(.invalidInput, "Minimum memory limit allowed is 6MB")
        }
        guard spec.logMaxFiles >= 1, spec.logMaxSize >= 0 else {
            throw CoveError(.invalidInput, "max-file must be at least 1 and max-size not negative")
        }
    }

    static func isCleanAbsolute(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.split(separator: "/").contains("..") && !path.contains("\0")
    }

    /// Docker's namespaced sysctls (`daemon/oci/validate` in moby).
    static func sysctlIsNamespaced(_ key: String, _ namespaces: Set<Namespace>) -> Bool {
        guard key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }), !key.contains("..")
        else { return false }
        let ipc = [
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
            "kernel.shmmni", "kernel.shm_rmid_forced",
        ]
        if ipc.contains(key) || key.hasPrefix("fs.mqueue.") { return namespaces.contains(.ipc) }
        if key.hasPrefix("net.") { return namespaces.contains(.network) }
        if key == "kernel.domainname" || key == "kernel.hostname" { return namespaces.contains(.uts) }
        return false
    }
}
