import CoveCore
import CoveLinux
import Foundation
import Testing

/// OverlayMount on real directories: needs root (mount), so it skips without it. The mount is
/// undone and the scratch directory removed even when a check fails.
@Suite(.enabled(if: geteuid() == 0, "needs root: mount and umount"))
final class OverlayMountTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "cove-overlay-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Lower directories named like snapshots (64 hex digits), each holding `layer-<n>` and a
    /// shared `top` file that the upper-most layer's copy must win.
    func lowers(_ count: Int) throws -> [String] {
        try (0..<count).map { index in
            let path =
                directory + "/" + String(repeating: String(index % 16, radix: 16), count: 60)
                + String(format: "%04d", index) + "/fs"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Data("\(index)".utf8).write(to: URL(fileURLWithPath: path + "/layer-\(index)"))
            try Data("\(index)".utf8).write(to: URL(fileURLWithPath: path + "/top"))
            return path
        }
    }

    func mountAndCheck(layers count: Int) throws {
        let lowers = try lowers(count)
        let merged = directory + "/merged"
        let upper = directory + "/upper"
        let work = directory + "/work"
        for path in [merged, upper, work] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try OverlayMount.mount(
            lowerDirectories: lowers.reversed(), upperDirectory: upper, workDirectory: work, target: merged)
        defer { try? OverlayMount.unmount(merged, detach: true) }
        #expect(OverlayMount.isMountPoint(merged))
        let names = try FileManager.default.contentsOfDirectory(atPath: merged)
        #expect(names.count == count + 1)
        #expect(FileManager.default.contents(atPath: merged + "/top") == Data("\(count - 1)".utf8))
        try OverlayMount.unmount(merged)
        #expect(!OverlayMount.isMountPoint(merged))
    }

    @Test func fewLayersMountThroughMount2() throws {
        let options = 3 * (directory.utf8.count + 70)
        #expect(options < OverlayMount.optionLimit)
        try mountAndCheck(layers: 3)
    }

    @Test func layersBeyondOnePageOfOptionsMountThroughTheNewMountAPI() throws {
        let count = 80
        #expect(count * (directory.utf8.count + 70) > OverlayMount.optionLimit, "the options must not fit in a page")
        try mountAndCheck(layers: count)
    }

    @Test func badArgumentsAreRefusedBeforeMounting() {
        #expect(throws: CoveError.self) {
            try OverlayMount.mount(
                lowerDirectories: [], upperDirectory: nil, workDirectory: nil, target: self.directory)
        }
        #expect(throws: CoveError.self) {
            try OverlayMount.mount(
                lowerDirectories: ["/a,b"], upperDirectory: nil, workDirectory: nil, target: self.directory)
        }
        #expect(throws: CoveError.self) {
            try OverlayMount.mount(
                lowerDirectories: ["/a"], upperDirectory: "/u", workDirectory: nil, target: self.directory)
        }
    }
}
