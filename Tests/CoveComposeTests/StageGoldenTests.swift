import CoveCore
import Foundation
import Testing

@testable import CoveCompose

/// One golden test per pipeline stage: each case directory under `Fixtures/stages/<stage>/`
/// holds `input.yaml` (and for merge, `override.yaml`; for interpolation, `env`), and
/// `expected.yaml`, the stage's output as YAML.
@Suite struct StageGoldenTests {
    static let home = "/home/user"

    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    static func environment(_ dir: URL) -> Environment {
        guard let text = try? read(dir.appendingPathComponent("env")) else { return Environment() }
        let pairs = (try? DotEnv.parse(text, file: "env")) ?? []
        var env = Environment()
        env.override(pairs)
        return env
    }

    static func parse(_ dir: URL, _ name: String = "input.yaml") throws -> Node {
        try YAMLParser.parse(try read(dir.appendingPathComponent(name)), file: name)
    }

    static func run(stage: String, case name: String) throws -> String {
        let dir = Golden.fixtures.appendingPathComponent("stages/\(stage)/\(name)")
        let paths = PathResolver(base: "/project", home: home)
        switch stage {
        case "parse":
            return YAMLWriter.write(try parse(dir))
        case "interpolate":
            var interpolation = Interpolation(environment: environment(dir))
            let out = try interpolation.apply(try parse(dir))
            let warnings = interpolation.unsetVariables.map {
                "# warning: " + Interpolation.warning(forUnset: $0) + "\n"
            }
            return warnings.joined() + YAMLWriter.write(out)
        case "canonical":
            return YAMLWriter.write(.mapping(try Canonical.file(try parse(dir).mapping ?? Mapping(), paths: paths)))
        case "merge":
            let base = Merge.untagged(.mapping(try Canonical.file(try parse(dir).mapping ?? Mapping(), paths: paths)))
            let override = Node.mapping(
                try Canonical.file(try parse(dir, "override.yaml").mapping ?? Mapping(), paths: paths))
            return YAMLWriter.write(Merge.enforceUnicity(Merge.merge(base, override, path: .root)))
        case "profiles":
            let model = try Canonical.file(try parse(dir).mapping ?? Mapping(), paths: paths)
            let active =
                (try? read(dir.appendingPathComponent("profiles")))?.split(whereSeparator: \.isNewline).map(String.init)
                ?? []
            let selection = try Profiles.apply(to: model, active: active, requested: [])
            return "# disabled: \(selection.disabled.joined(separator: ", "))\n"
                + YAMLWriter.write(.mapping(selection.model))
        case "normalize":
            let model = try Canonical.file(try parse(dir).mapping ?? Mapping(), paths: paths)
            var normalizer = Normalizer(
                projectName: "demo", environment: environment(dir), source: FileSource(), interpolate: true)
            return YAMLWriter.write(.mapping(try normalizer.normalize(model)))
        default:
            throw CoveError(.internalError, "unknown stage \(stage)")
        }
    }

    static let stages = ["parse", "interpolate", "canonical", "merge", "profiles", "normalize"]

    static var allCases: [String] {
        stages.flatMap { stage in Golden.cases("stages/\(stage)").map { "\(stage)/\($0)" } }
    }

    @Test(arguments: allCases)
    func stage(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let output = try Self.run(stage: parts[0], case: parts[1])
        Golden.assertMatches(output, file: Golden.fixtures.appendingPathComponent("stages/\(id)/expected.yaml"))
    }

    @Test func everyStageHasCases() {
        for stage in Self.stages {
            #expect(!Golden.cases("stages/\(stage)").isEmpty, "no golden cases for stage \(stage)")
        }
    }
}
