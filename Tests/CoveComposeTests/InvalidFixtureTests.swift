import CoveCore
import Foundation
import Testing

@testable import CoveCompose

/// One case per error message: each directory under `Fixtures/invalid/<case>/` holds the
/// files (and optionally `cmd.args`, `cmd.env`, `stdin.yaml`) that make the loader fail
/// with exactly one error, and `expected.txt`, the text `cove` prints for it
/// (`CoveError.description` and a newline) with the case directory written `<dir>`.
/// `UPDATE_GOLDEN=1` rewrites `expected.txt`; review every change by eye.
///
/// Every error must carry a `file:line:col` position unless the case holds `no-line.txt`,
/// which says why there is no line to point at (a file that does not exist, a
/// command-line flag, an environment variable).
///
/// Cases named `schema-*` are the ones only the JSON-schema validation catches; they run
/// once the schema validator reports errors (see `SchemaProbe`).
@Suite struct InvalidFixtureTests {
    static let group = "invalid"

    static var loaderCases: [String] { Golden.cases(group).filter { !$0.hasPrefix("schema-") } }
    static var schemaCases: [String] { Golden.cases(group).filter { $0.hasPrefix("schema-") } }

    @Test(arguments: loaderCases)
    func invalid(_ name: String) throws {
        try Self.check(name)
    }

    @Test(
        .enabled(if: SchemaProbe.isActive, "the schema validator reports no errors yet; schema-* cases are skipped"),
        arguments: schemaCases)
    func schema(_ name: String) throws {
        try Self.check(name)
    }

    @Test func thereAreCases() {
        #expect(Self.loaderCases.count > 50)
        if !SchemaProbe.isActive {
            print(
                "InvalidFixtureTests: skipping \(Self.schemaCases.count) schema-* cases: the schema validator reports no errors yet"
            )
        }
    }

    /// Cases where Cove is known to fall short of the rule (reported, not yet fixed in
    /// Sources): the position checks (and, for a case that loads, the "expected an error"
    /// check) run inside `withKnownIssue`, so that they are visible without failing the
    /// suite, and so that the fix shows up as "known issue was not recorded": then remove
    /// the entry and regenerate `expected.txt`.
    /// Cases whose error is known to be wrong, with why; empty when every case passes.
    static let knownIssues: [String: String] = [:]

    static func check(_ name: String) throws {
        let fixture = try FixtureCase(group: group, name: name)
        let expectedFile = fixture.directory.appendingPathComponent("expected.txt")
        let known = knownIssues[name]
        func expectKnown(_ body: () -> Void) {
            if let known { withKnownIssue(Comment(rawValue: known), body) } else { body() }
        }
        let error: CoveError
        do {
            let result = try fixture.load()
            expectKnown {
                Issue.record(
                    "\(name): expected an error, but the project \"\(result.project.name)\" loaded with services \(result.project.services.map(\.name))"
                )
            }
            return
        } catch let e {
            error = e
        }
        Golden.assertMatches(fixture.redact(error.description) + "\n", file: expectedFile)
        if fixture.has("no-line.txt") {
            // Nothing inside a file to point at; a location, when there is one, names a whole file.
            #expect(
                (error.location?.line ?? 0) == 0, "\(name): has a line although no-line.txt says it cannot: \(error)")
        } else {
            expectKnown {
                #expect(error.location?.isKnown == true, "\(name): the error names no file: \(error)")
                #expect((error.location?.line ?? 0) > 0, "\(name): the error has no line: \(error)")
            }
        }
    }

    /// A file that exists but cannot be read. Root reads everything, so this only runs
    /// as another user (the `envfile-is-directory` and `file-is-directory` cases cover the
    /// other unreadable files).
    @Test func unreadableEnvFile() throws {
        guard getuid() != 0 else {
            print(
                "InvalidFixtureTests.unreadableEnvFile: skipped: running as root, chmod 000 does not stop root from reading"
            )
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cove-unreadable-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "services:\n  web:\n    image: nginx\n".write(
            to: dir.appendingPathComponent("compose.yaml"), atomically: true, encoding: .utf8)
        let env = dir.appendingPathComponent(".env")
        try "TAG=1\n".write(to: env, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: env.path)
        var options = LoadOptions()
        options.workingDirectory = dir.path
        options.environment = ["HOME": FixtureCase.home]
        #expect(throws: CoveError.self) { _ = try ProjectLoader().load(options) }
        do {
            _ = try ProjectLoader().load(options)
        } catch {
            #expect(error.description == "\(env.path): cannot read env file \(env.path): permission denied")
        }
    }
}

/// Whether schema validation is in place: a service with an unknown key must fail to load.
enum SchemaProbe {
    static let isActive: Bool = {
        var options = LoadOptions()
        options.files = ["-"]
        options.workingDirectory = "/tmp/cove-schema-probe"
        options.environment = ["HOME": FixtureCase.home]
        let source = FileSource(readStandardInput: { "services:\n  web:\n    image: nginx\n    imagee: nginx\n" })
        do {
            _ = try ProjectLoader(source: source).load(options)
            return false
        } catch {
            return true
        }
    }()
}
