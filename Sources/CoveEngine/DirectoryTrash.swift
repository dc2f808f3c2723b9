import CoveCore
import CoveLinux
import Dispatch
import Foundation

/// Where a removed container's directories go: renamed into `<root>/trash` at once, so that the
/// removal answers without waiting for every file to be unlinked (milliseconds on a filesystem
/// mounted with `discard`), then deleted in the background. What a daemon killed meanwhile
/// leaves there is deleted when the next one starts.
final class DirectoryTrash: Sendable {
    /// `<root>/trash`.
    let directory: String

    init(directory: String) throws(CoveError) {
        self.directory = directory
        try Directory.create(directory, mode: 0o700)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            Self.remove(directory + "/" + name)
        }
    }

    /// Moves `path` into the trash and deletes it in the background; nothing happens for a path
    /// that does not exist. A path that cannot be moved is deleted before this returns.
    func discard(_ path: String) throws(CoveError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let target = "\(directory)/\(UUID().uuidString)"
        do {
            try FileManager.default.moveItem(atPath: path, toPath: target)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else { return }  // removed meanwhile
            Self.remove(path)
            if FileManager.default.fileExists(atPath: path) {
                throw CoveError(.io, "cannot remove \(path)", cause: "\(error)")
            }
            return
        }
        DispatchQueue.global(qos: .utility).async { Self.remove(target) }
    }

    /// Deletes `path`, trying again when a process ending meanwhile removes something inside.
    private static func remove(_ path: String) {
        for _ in 1...3 where FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
