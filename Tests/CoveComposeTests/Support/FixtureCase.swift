import CoveCompose
import CoveCore
import Foundation

/// One loader fixture directory turned into what `cove` would be given: `LoadOptions`
/// (working directory = the case directory, environment = `HOME` plus `cmd.env`, flags
/// from `cmd.args`) and a `FileSource` whose standard input is the case's `stdin.yaml`
/// (nil, i.e. unreadable, when there is none).
///
/// `cmd.args` holds one argument per line: `-f`/`--file`, `-p`/`--project-name`,
/// `--profile`, `--env-file`, `--project-directory` (each followed by its value on the
/// next line), `--no-interpolate`, and `--` after which every line is a service named on
/// the command line. Blank lines are skipped. `cmd.env` holds `KEY=VALUE` lines; `#`
/// starts a comment line.
struct FixtureCase {
    /// A malformed `cmd.args` or `cmd.env`: a mistake in the fixture, not in Cove.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static let home = "/home/user"

    let directory: URL
    var options = LoadOptions()
    var source: FileSource

    /// The case directory as a path string, the way the loader sees it.
    var path: String { directory.path }

    init(directory: URL) throws {
        self.directory = directory
        options.workingDirectory = directory.path
        var environment = ["HOME": Self.home]
        if let text = try Self.text(directory.appendingPathComponent("cmd.env")) {
            for (key, value) in try Self.parseEnv(text) { environment[key] = value }
        }
        options.environment = environment
        if let text = try Self.text(directory.appendingPathComponent("cmd.args")) {
            try Self.parseArgs(text, into: &options)
        }
        let stdin = try Self.text(directory.appendingPathComponent("stdin.yaml"))
        source = FileSource(readStandardInput: { stdin })
    }

    /// `Fixtures/<group>/<name>`.
    init(group: String, name: String) throws {
        try self.init(directory: Golden.fixtures.appendingPathComponent(group).appendingPathComponent(name))
    }

    /// Runs the whole loader on the case.
    func load() throws(CoveError) -> ProjectLoader.Result {
        try ProjectLoader(source: source).load(options)
    }

    /// `text` with the case directory replaced by `<dir>`, so that it does not depend on
    /// where the repository is checked out.
    func redact(_ text: String) -> String {
        text.replacingOccurrences(of: path, with: "<dir>")
    }

    /// Whether the case holds a file named `name`.
    func has(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    static func text(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func parseEnv(_ text: String) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw Malformed(description: "cmd.env: expected KEY=VALUE, got \"\(line)\"")
            }
            pairs.append((String(line[..<eq]), String(line[line.index(after: eq)...])))
        }
        return pairs
    }

    static func parseArgs(_ text: String, into options: inout LoadOptions) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0) }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }[...]
        func value(for flag: String) throws -> String {
            guard let v = lines.popFirst() else { throw Malformed(description: "cmd.args: \(flag) needs a value") }
            return v
        }
        while let arg = lines.popFirst() {
            switch arg {
            case "-f", "--file": options.files.append(try value(for: arg))
            case "-p", "--project-name": options.projectName = try value(for: arg)
            case "--profile": options.profiles.append(try value(for: arg))
            case "--env-file": options.envFiles.append(try value(for: arg))
            case "--project-directory": options.projectDirectory = try value(for: arg)
            case "--no-interpolate": options.interpolate = false
            case "--":
                options.services.append(contentsOf: lines)
                lines = []
            default:
                throw Malformed(description: "cmd.args: unknown argument \"\(arg)\"")
            }
        }
    }
}
