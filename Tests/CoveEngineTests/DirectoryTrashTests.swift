import Foundation
import Testing

@testable import CoveEngine

@Suite struct DirectoryTrashTests {
    @Test func aDiscardedDirectoryIsGoneAtOnceAndItsFilesSoonAfter() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let victim = root + "/containers/abc"
        try FileManager.default.createDirectory(atPath: victim + "/upper/etc", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: victim + "/upper/etc/hosts", contents: Data("x".utf8)))
        let trash = try DirectoryTrash(directory: root + "/trash")
        try trash.discard(victim)
        #expect(!FileManager.default.fileExists(atPath: victim))
        try trash.discard(root + "/containers/missing")
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline,
            try !FileManager.default.contentsOfDirectory(atPath: root + "/trash").isEmpty
        {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/trash").isEmpty)
    }

    @Test func whatAKilledDaemonLeftInTheTrashIsDeletedAtStart() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/trash/left/deep", withIntermediateDirectories: true)
        _ = try DirectoryTrash(directory: root + "/trash")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/trash").isEmpty)
    }
}
