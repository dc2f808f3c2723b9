import CoveCore

/// Starts a container's shim: the one effect of `Runtime.create` that spawns a process, behind
/// a protocol so the rest is tested without root.
public protocol ShimLauncher: Sendable {
    /// Runs `shim run stateDirectory` and returns once the container is created (its init is
    /// waiting for start), or throws with the shim's error (`step 7 pivot-root: …`).
    func launch(shim: String, stateDirectory: String) throws(CoveError)
    /// Runs `shim exec stateDirectory` and returns once the exec's process waits for start, or
    /// throws with the shim's error (`exec step 6 setns mnt: …`).
    func launchExec(shim: String, stateDirectory: String) throws(CoveError)
}

extension ShimLauncher {
    /// Execs are spawned as processes by default, whatever launches containers.
    public func launchExec(shim: String, stateDirectory: String) throws(CoveError) {
        try ProcessShimLauncher().launchExec(shim: shim, stateDirectory: stateDirectory)
    }
}
