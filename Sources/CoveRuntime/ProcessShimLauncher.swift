import CoveCore
import CoveLinux

/// The real launcher: `posix_spawn` in a new session (`DetachedProcess`); the shim forks its
/// supervisor and exits once the container (or exec) is created, so this waits only for that.
public struct ProcessShimLauncher: ShimLauncher {
    public init() {}

    public func launch(shim: String, stateDirectory: String) throws(CoveError) {
        try spawn(shim: shim, mode: "run", stateDirectory: stateDirectory, what: "the container")
    }

    public func launchExec(shim: String, stateDirectory: String) throws(CoveError) {
        try spawn(shim: shim, mode: "exec", stateDirectory: stateDirectory, what: "the exec")
    }

    func spawn(shim: String, mode: String, stateDirectory: String, what: String) throws(CoveError) {
        let log = "\(stateDirectory)/shim.log"
        let pid = try DetachedProcess.spawn(
            executable: shim, arguments: [mode, stateDirectory], environment: [:], logFile: log)
        let status = try ChildProcess.wait(pid)
        guard status != .exited(0) else { return }
        let text = (try? AtomicFile.read(log, limit: 64 * 1024)).flatMap { $0 }.map {
            String(decoding: $0, as: UTF8.self)
        }
        let message = text?.split(separator: "\n").last.map(String.init) ?? "the shim ended with \(status)"
        throw CoveError(.io, "cannot create \(what)", cause: message)
    }
}
