import CoveCore
import CoveLinux
import Foundation

/// The daemon's claim on its state root: the directory, the lock that keeps a second daemon out,
/// the pid file, and the engine id.
struct DaemonRoot {
    let path: String
    let engineID: String
    private let lock: FileLock
    private let pidFile: PidFile

    /// Creates the root (0700) when missing, takes `<root>/daemon.lock`, writes `<root>/daemon.pid`.
    ///
    /// - Throws: `CoveError` naming the root and the other daemon's pid when a daemon already serves it.
    static func claim(_ configuration: DaemonConfiguration) throws(CoveError) -> DaemonRoot {
        try Directory.create(configuration.root, mode: 0o700)
        let pidFile = PidFile(path: configuration.pidPath)
        guard let lock = try FileLock.acquire(path: configuration.lockPath) else {
            let holder = pidFile.read().map { "pid \($0)" } ?? "pid unknown"
            throw CoveError(
                .invalidInput,
                "another cove daemon (\(holder)) is already running on root \(configuration.root)",
                cause: "\(configuration.lockPath) is locked")
        }
        try pidFile.write(pid: ProcessInfo.processInfo.processIdentifier)
        let engineID: String
        do {
            engineID = try EngineID.load(root: configuration.root)
        } catch {
            try? pidFile.remove()
            throw error
        }
        return DaemonRoot(path: configuration.root, engineID: engineID, lock: lock, pidFile: pidFile)
    }

    /// Removes the pid file; the lock is released when this value is freed.
    func release() throws(CoveError) {
        try pidFile.remove()
        withExtendedLifetime(lock) {}
    }
}
