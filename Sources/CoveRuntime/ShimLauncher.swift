import CoveCore

/// Starts a container's shim: the one effect of `Runtime.create` that spawns a process, behind
/// a protocol so the rest is tested without root.
public protocol ShimLauncher: Sendable {
    /// Runs `shim run stateDirectory` and returns once the container is created (its init is
    /// waiting for start), or throws with the shim's error (`step 7 pivot-root: …`).
    func launch(shim: String, stateDirectory: String) throws(CoveError)
}
