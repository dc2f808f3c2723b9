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

    @Test("log lines keep quotes, backslashes, control characters and UTF-8 (JSON-escaped as Go does)")
    func logEscaping() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let handle = try fixture.create(fixture.spec(["printf", "a\"b\\\\c\\t<&>\\001é\\nno newline"]))
        try fixture.runtime.start(handle)
        _ = try fixture.runtime.wait(handle)
        #expect(try LogEntry.read(handle.logPath).map(\.log) == ["a\"b\\c\t<&>\u{01}é\n", "no newline"])
        let raw = try String(contentsOfFile: handle.logPath, encoding: .utf8)
        #expect(raw.contains(#"\u003c\u0026\u003e\u0001"#))
    }
}
