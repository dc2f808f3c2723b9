import Foundation
import Testing

@testable import CoveRuntime

/// The shim is a small C program: no Swift runtime, under 1 MB PSS while it holds a container.
@Suite("Shim binary", .serialized)
struct ShimBinaryTests {
    @Test("cove-shim needs no Swift runtime library")
    func noSwiftRuntime() throws {
        guard let shim = RuntimeFixture.shimPath() else {
            Issue.record("cove-shim not found beside the tests")
            return
        }
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [shim]
        let pipe = Pipe()
        ldd.standardOutput = pipe
        try ldd.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(output.contains("libseccomp"))
        #expect(!output.contains("libswift"), "\(output)")
        #expect(!output.contains("libFoundation"), "\(output)")
    }

    @Test("the shim's PSS with a running container is under 1 MB")
    func proportionalSetSize() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let handle = try fixture.create(fixture.spec(["sleep", "30"]))
        try fixture.runtime.start(handle)
        let pid = try #require(
            Int32(
                String(contentsOfFile: handle.stateDirectory + "/shim.pid", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        let rollup = try String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)
        let pss = try #require(
            rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }?.split(separator: " ").dropFirst().first
                .flatMap { Int($0) })
        print("cove-shim PSS with a running container: \(pss) kB")
        #expect(pss < 1024)
        try fixture.runtime.delete(handle, force: true)
    }
}
