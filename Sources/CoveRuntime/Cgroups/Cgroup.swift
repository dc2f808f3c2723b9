import CoveCore
import CoveLinux
import Foundation

/// A container's cgroups on the host: created from a `CgroupPlan`, read for stats and OOM
/// kills, frozen for pause, removed after exit. The shim moves the init in (`cgroup.procs`).
public struct Cgroup: Sendable, Equatable {
    public var isV2: Bool
    /// Controller (or `unified`) → directory.
    public var paths: [String: String]

    public init(isV2: Bool, paths: [String: String]) {
        self.isV2 = isV2
        self.paths = paths
    }

    /// Makes the directories of `plan` and writes its limits.
    ///
    /// v1 `cpuset` directories inherit their parent's cpus and mems (the kernel starts them
    /// empty, which refuses tasks); v2 parents get the controllers enabled in `subtree_control`.
    public static func create(_ plan: CgroupPlan) throws(CoveError) -> Cgroup {
        var paths: [String: String] = [:]
        for directory in plan.directories {
            try Directory.create(directory.path, mode: 0o755)
            paths[directory.controller] = directory.path
            if directory.controller == "cpuset" { try inheritCpuset(directory.path) }
            if plan.isV2 { try enableControllers(above: directory.path) }
            for write in directory.writes {
                let file = "\(directory.path)/\(write.file)"
                if write.optional && !KernelFile.exists(file) { continue }
                do {
                    try KernelFile.write(write.value, to: file)
                } catch {
                    let cgroup = Cgroup(isV2: plan.isV2, paths: paths)
                    try? cgroup.remove()
                    throw CoveError(.invalidInput, "cannot set \(write.file) to \(write.value)", cause: error.cause)
                }
            }
        }
        return Cgroup(isV2: plan.isV2, paths: paths)
    }

    static func inheritCpuset(_ path: String) throws(CoveError) {
        var levels: [String] = []
        var current = path
        while let slash = current.lastIndex(of: "/"), slash != current.startIndex {
            levels.insert(current, at: 0)
            let parent = String(current[..<slash])
            guard let cpus = try KernelFile.read(parent + "/cpuset.cpus"), trimmed(cpus).isEmpty else { break }
            current = parent
        }
        for level in levels {
            guard let slash = level.lastIndex(of: "/") else { continue }
            for file in ["cpuset.cpus", "cpuset.mems"]
            where trimmed(try KernelFile.read("\(level)/\(file)") ?? "").isEmpty {
                let inherited = trimmed(try KernelFile.read("\(level[..<slash])/\(file)") ?? "")
                try KernelFile.write(inherited, to: "\(level)/\(file)")
            }
        }
    }

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func enableControllers(above path: String) throws(CoveError) {
        var parents: [String] = []
        var current = path
        while let slash = current.lastIndex(of: "/"), slash != current.startIndex {
            current = String(current[..<slash])
            guard KernelFile.exists(current + "/cgroup.subtree_control") else { break }
            parents.insert(current, at: 0)
        }
        for parent in parents {
            let available = (try KernelFile.read(parent + "/cgroup.controllers") ?? "").split(
                whereSeparator: \.isWhitespace)
            let wanted = available.filter { ["cpu", "cpuset", "memory", "pids", "io"].contains(String($0)) }
            guard !wanted.isEmpty else { continue }
            try? KernelFile.write(
                wanted.map { "+\($0)" }.joined(separator: " "), to: parent + "/cgroup.subtree_control")
        }
    }

    /// The directories the shim moves the container's init into.
    public var directories: [String] { Set(paths.values).sorted() }

    func file(_ controller: String, _ v1: String, _ v2: String) -> String? {
        isV2 ? paths["unified"].map { "\($0)/\(v2)" } : paths[controller].map { "\($0)/\(v1)" }
    }

    func number(_ path: String?) -> Int64? {
        guard let path, let text = try? KernelFile.read(path) else { return nil }
        return Int64(Cgroup.trimmed(text))
    }

    func field(_ path: String?, _ key: String) -> Int64? {
        guard let path, let text = try? KernelFile.read(path) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 && parts[0] == key { return Int64(parts[1]) }
        }
        return nil
    }
}
