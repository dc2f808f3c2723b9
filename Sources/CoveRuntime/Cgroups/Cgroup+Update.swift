import CoveCore
import CoveLinux

extension Cgroup {
    /// Writes new limits into a running container's cgroup (`docker update`), the files
    /// `Cgroup.create` would write for them; a limit left `nil` is not touched.
    ///
    /// On v1, a memory limit above the current memory+swap limit is refused by the kernel until
    /// that one is raised, so when the first write fails the swap total goes first.
    public func update(_ limits: CgroupLimits) throws(CoveError) {
        for (controller, path) in paths.sorted(by: { $0.key < $1.key }) where controller != "devices" {
            let writes =
                isV2 ? CgroupPlan.v2Writes(limits) : CgroupPlan.v1Writes(controller, limits, privileged: true)
            var pending = writes
            if !isV2, controller == "memory", let memory = writes.first, let swap = writes.dropFirst().first,
                (try? KernelFile.write(memory.value, to: "\(path)/\(memory.file)")) == nil,
                KernelFile.exists("\(path)/\(swap.file)")
            {
                pending = [swap, memory]
            }
            for write in pending {
                let file = "\(path)/\(write.file)"
                if write.optional && !KernelFile.exists(file) { continue }
                do {
                    try KernelFile.write(write.value, to: file)
                } catch {
                    throw CoveError(.invalidInput, "cannot set \(write.file) to \(write.value)", cause: error.cause)
                }
            }
        }
    }
}
