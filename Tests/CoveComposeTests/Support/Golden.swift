import Foundation
import Testing

/// Golden-file assertions: compares text with a file beside the fixture; with
/// `UPDATE_GOLDEN=1` in the environment it (re)writes the file instead.
enum Golden {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// The case directories under `Fixtures/<group>`, sorted.
    static func cases(_ group: String) -> [String] {
        let dir = fixtures.appendingPathComponent(group)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    static func assertMatches(_ actual: String, file: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        if updating {
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record(
                "missing golden file \(file.path); run with UPDATE_GOLDEN=1 and review it",
                sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden mismatch: \(file.path)", sourceLocation: sourceLocation)
    }
}
