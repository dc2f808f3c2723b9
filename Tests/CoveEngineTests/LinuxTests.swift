import CoveCore
import CoveLinux
import Foundation
import Testing

/// CoveLinux's wrappers, on files in a scratch directory made for each test and removed after it
/// (no root needed).
@Suite final class LinuxTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "cove-linux-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func secondLockOnTheSameFileIsRefusedUntilTheFirstIsFreed() throws {
        let path = directory + "/daemon.lock"
        var first = try FileLock.acquire(path: path)
        #expect(first != nil)
        #expect(try FileLock.acquire(path: path) == nil)
        first = nil
        #expect(try FileLock.acquire(path: path) != nil)
        #expect(try mode(path) == 0o600)
    }

    @Test func lockInAMissingDirectoryNamesTheCall() throws {
        #expect {
            try FileLock.acquire(path: directory + "/missing/daemon.lock")
        } throws: { error in
            guard let error = error as? CoveError else { return false }
            return error.code == .notFound && error.description.contains("open: No such file or directory")
        }
    }

    @Test func pidFileRoundTripsAndRemovesTwice() throws {
        let file = PidFile(path: directory + "/daemon.pid")
        #expect(file.read() == nil)
        try file.write(pid: 4242)
        #expect(file.read() == 4242)
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "4242\n")
        #expect(!FileManager.default.fileExists(atPath: file.path + ".tmp"))
        try file.remove()
        try file.remove()
        #expect(file.read() == nil)
        try "garbage".write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(file.read() == nil)
    }

    @Test func directoriesGetTheirModeAndParents0755() throws {
        let root = directory + "/a/b/root"
        #expect(try Directory.create(root, mode: 0o700))
        #expect(try mode(root) == 0o700)
        #expect(try mode(directory + "/a/b") == 0o755)
        #expect(try !Directory.create(root, mode: 0o755))
        #expect(try mode(root) == 0o700, "an existing directory is left as it is")
        try "x".write(toFile: directory + "/file", atomically: true, encoding: .utf8)
        #expect(throws: CoveError.self) { try Directory.create(directory + "/file/sub", mode: 0o700) }
    }

    @Test func socketStateOfMissingPathAndOfAFile() throws {
        #expect(try SocketFile.state(of: directory + "/none.sock") == .absent)
        try "x".write(toFile: directory + "/file.sock", atomically: true, encoding: .utf8)
        #expect(try SocketFile.state(of: directory + "/file.sock") == .notASocket)
    }

    @Test func socketAccessIsModeSixSixtyAndTheNamedGroupWhenItExists() throws {
        let path = directory + "/access"
        try "x".write(toFile: path, atomically: true, encoding: .utf8)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let groupName = try #require(attributes[.groupOwnerAccountName] as? String)
        let gid = try #require(attributes[.groupOwnerAccountID] as? Int)
        let outcome = try SocketFile.restrictAccess(path, mode: 0o660, group: groupName)
        #expect(outcome == .applied(gid: UInt32(gid)), "the file's own group can always be given")
        #expect(try mode(path) == 0o660)
        let absent = try SocketFile.restrictAccess(
            path, mode: 0o600, group: "cove-no-such-group-\(UInt32.random(in: 0...9999))")
        #expect(absent == .groupAbsent)
        #expect(try mode(path) == 0o600)
    }

    @Test func atomicFileReadsPastOneChunkAndStopsAtTheLimit() throws {
        let path = directory + "/big"
        let bytes = (0..<50_000).map { UInt8($0 % 251) }
        try AtomicFile.write(bytes, to: path, mode: 0o600)
        #expect(try AtomicFile.read(path, limit: 1 << 20) == bytes)
        #expect(try AtomicFile.read(path, limit: 20_000) == Array(bytes.prefix(20_000)))
        #expect(try AtomicFile.read(directory + "/missing") == nil)
        #expect(try mode(path) == 0o600)
    }

    @Test func osReleaseFieldsAreUnquoted() {
        let release = OSRelease.parse(
            """
            # comment
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME='Debian'
            VERSION_ID=12
            ESCAPED="a \\"quoted\\" word"
            not a line
            """)
        #expect(release.prettyName == "Debian GNU/Linux 12 (bookworm)")
        #expect(release.fields["NAME"] == "Debian")
        #expect(release.versionID == "12")
        #expect(release.fields["ESCAPED"] == #"a "quoted" word"#)
        #expect(release.fields.count == 4)
    }

    @Test func memoryTotalIsReadInBytes() {
        #expect(HostFacts.parseMemoryTotal("MemTotal:       24684092 kB\nMemFree: 1 kB\n") == Int64(24_684_092) * 1024)
        #expect(HostFacts.parseMemoryTotal("MemFree: 1 kB\n") == nil)
    }

    @Test func cgroupLayoutsAreToldApartFromMountinfo() {
        let tmpfsRoot = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        let v1 = "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime shared:5 - cgroup cgroup rw,cpu\n"
        let unifiedBelow = "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
        let unifiedRoot = "31 23 0:28 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
        #expect(CgroupLayout.detect(mountInfo: tmpfsRoot + v1 + unifiedBelow) == .hybrid)
        #expect(CgroupLayout.detect(mountInfo: tmpfsRoot + v1) == .legacy)
        #expect(CgroupLayout.detect(mountInfo: unifiedRoot) == .unified)
        #expect(CgroupLayout.detect(mountInfo: "1 0 0:1 / / rw - ext4 /dev/sda rw\n") == .none)
        #expect(CgroupLayout.detect(mountInfo: "garbage\n\n- - -\n") == .none)
        #expect(CgroupLayout.hybrid.dockerVersion == "1")
        #expect(CgroupLayout.unified.dockerVersion == "2")
    }

    @Test func thisMachinesFactsAreRead() {
        let facts = HostFacts.current()
        #expect(!facts.kernelVersion.isEmpty)
        #expect(!facts.machine.isEmpty)
        #expect(!facts.hostname.isEmpty)
        #expect(facts.cpuCount >= 1)
        #expect(facts.memoryTotal > 0)
        #expect((ProcessStats.openFileDescriptorCount() ?? 0) >= 3)
    }
}
