import CoveCore
import Foundation
import Testing

@testable import CoveCompose

/// Projects large enough for the per-service stages to run in parallel (`Parallel`)
/// give the same output, warnings and first error as a sequential run would.
@Suite struct ParallelLoadTests {
    static let count = 300

    /// A project of `count` services; `body(i)` adds lines to service i.
    static func project(_ body: (Int) -> String = { _ in "" }) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cove-parallel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var text = "services:\n"
        for i in 0..<count {
            text +=
                "  svc\(String(format: "%03d", i)):\n    image: img\(i)\n    ports: [\"\(10000 + i):80\"]\n" + body(i)
        }
        try text.write(to: dir.appendingPathComponent("compose.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func load(_ dir: URL) throws -> ProjectLoader.Result {
        var options = LoadOptions()
        options.workingDirectory = dir.path
        options.environment = ["HOME": "/home/user"]
        return try ProjectLoader().load(options)
    }

    @Test func servicesKeepTheirOrderAndContent() throws {
        let dir = try Self.project { "    environment: [INDEX=\($0)]\n" }
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.load(dir)
        #expect(result.project.services.count == Self.count)
        for (i, service) in result.project.services.enumerated() {
            #expect(service.name == "svc" + String(format: "%03d", i))
            #expect(service.image == "img\(i)")
            #expect(service.node.mapping?["environment"]?.mapping?["INDEX"]?.string == String(i))
        }
        let yaml = YAMLWriter.write(result.project.node)
        #expect(yaml == YAMLWriter.write(try Self.load(dir).project.node))
        var last = ""
        for line in yaml.split(separator: "\n") where line.hasPrefix("  svc") {
            #expect(String(line) > last)
            last = String(line)
        }
    }

    @Test func theFirstErrorInFileOrderIsReported() throws {
        let dir = try Self.project { i in
            i == 120 || i == 250 ? "    volumes: [\"./a::b\"]\n" : ""
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try Self.load(dir)
            Issue.record("expected an error")
        } catch let error as CoveError {
            let line = 2 + 120 * 3 + 3
            #expect(error.location?.line == line, "\(error)")
        }
    }

    @Test func unsetVariableWarningsKeepFileOrder() throws {
        let dir = try Self.project { i in
            i == 10 ? "    command: echo ${FIRST_UNSET}\n" : i == 280 ? "    command: echo ${SECOND_UNSET}\n" : ""
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let warnings = try Self.load(dir).warnings
        #expect(
            warnings == [
                Interpolation.warning(forUnset: "FIRST_UNSET"), Interpolation.warning(forUnset: "SECOND_UNSET"),
            ])
    }
}
