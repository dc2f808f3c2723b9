import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

@Suite("Container runs", .serialized)
struct ContainerSmokeTests {
    @Test("a busybox container runs, logs its output in json-file format and records its exit code")
    func runsAndRecordsExit() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let (state, entries) = try fixture.run(fixture.spec(["sh", "-c", "echo hello; echo oops >&2; exit 3"]))
        #expect(state.status == .exited)
        #expect(state.exitCode == 3)
        #expect(!state.finishedAt.isEmpty)
        #expect(entries.map(\.log) == ["hello\n", "oops\n"] || entries.map(\.log) == ["oops\n", "hello\n"])
        #expect(Set(entries.map(\.stream)) == ["stdout", "stderr"])
        #expect(entries.allSatisfy { $0.time.hasSuffix("Z") && $0.time.contains("T") })
    }
}
