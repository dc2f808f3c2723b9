import CoveCore
import Foundation
import Testing

@testable import CoveCompose

/// Property test of the whole loader on mutated compose files.
///
/// The corpus is every valid fixture (`Fixtures/valid/*/compose*.yaml`) and every
/// example file (`examples/*/*.yaml`). Each sample is one corpus file with one to three
/// random mutations (lines deleted, duplicated, swapped or re-indented, YAML tokens
/// inserted, scalars replaced by values of other types, truncation, characters replaced
/// by other valid Unicode scalars), loaded through `ProjectLoader` as `-f -` (standard
/// input) from the original file's directory, so that its `include`, `extends` and
/// `env_file` paths still resolve.
///
/// The properties:
/// 1. Nothing crashes. A Swift trap would kill the test process, so finishing proves it.
///    Set `COVE_FUZZ_LAST=/some/file` to have every sample written there before it is
///    loaded: after a crash, that file holds the input.
/// 2. Every outcome is a project or a `CoveError` whose location names a file
///    (`isKnown`) and a line (> 0).
///
/// The one error allowed to have no line: "empty compose file" for a text that holds no
/// YAML content at all (only blanks, comments, `---` or `...`): the whole file is meant
/// and there is no line in it to point at. Every other error in this test is about
/// something written on a line: the mutated text is standard input, which is always
/// readable, so even "file not found" or "is a directory" can only come from a path
/// written in it (`include`, `extends.file`, `env_file`) and must point there. (Errors
/// legitimately without a line, such as a missing `--env-file` or an invalid `-p`, come
/// from flags and the environment, which this test does not vary; the invalid fixtures
/// cover them.)
///
///
/// `COVE_FUZZ_SEED` picks the seed (default below), `COVE_FUZZ_SAMPLES` the number of
/// samples (default 4000).
@Suite struct LoaderFuzzTests {
    static let defaultSeed: UInt64 = 0xC0FE_2024
    static let home = "/home/user"

    struct Seed {
        var path: String
        var directory: String
        var text: String
        var environment: [String: String]
    }

    /// The corpus, sorted by path so that a seed always means the same samples.
    static func corpus() -> [Seed] {
        let fm = FileManager.default
        var paths: [String] = []
        let valid = Golden.fixtures.appendingPathComponent("valid")
        for name in Golden.cases("valid") {
            let dir = valid.appendingPathComponent(name)
            for file in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
            where file.hasPrefix("compose") && (file.hasSuffix(".yaml") || file.hasSuffix(".yml")) {
                paths.append(dir.appendingPathComponent(file).path)
            }
        }
        let examples = Golden.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        for name in ((try? fm.contentsOfDirectory(atPath: examples.path)) ?? []).sorted() {
            let dir = examples.appendingPathComponent(name)
            for file in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
            where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                paths.append(dir.appendingPathComponent(file).path)
            }
        }
        return paths.sorted().compactMap { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let dir = (path as NSString).deletingLastPathComponent
            var env = ["HOME": home]
            if let envText = try? String(contentsOfFile: dir + "/cmd.env", encoding: .utf8),
                let pairs = try? FixtureCase.parseEnv(envText)
            {
                for (k, v) in pairs { env[k] = v }
            }
            return Seed(path: path, directory: dir, text: text, environment: env)
        }
    }

    enum Outcome {
        case loaded
        case failed(CoveError)
    }

    static func load(_ text: String, seed: Seed) -> Outcome {
        var options = LoadOptions()
        options.files = ["-"]
        options.workingDirectory = seed.directory
        options.environment = seed.environment
        let source = FileSource(readStandardInput: { text })
        do {
            _ = try ProjectLoader(source: source).load(options)
            return .loaded
        } catch {
            return .failed(error)
        }
    }

    /// nil when the outcome satisfies the property, else why not.
    static func violation(_ outcome: Outcome, text: String) -> String? {
        guard case .failed(let error) = outcome else { return nil }
        guard let location = error.location, location.isKnown else { return "the error names no file" }
        if location.line > 0 { return nil }
        if error.message == "empty compose file", isBlankDocument(text) { return nil }
        return "the error has no line"
    }

    /// True for a text without YAML content: blanks, comments, document markers.
    static func isBlankDocument(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).allSatisfy { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("#") || line == "---" || line == "..."
        }
    }

    /// A coarse kind for an error, for the counts: the first line of its message with the
    /// leading key path, quoted parts, numbers and file paths blanked.
    static func kind(of error: CoveError) -> String {
        var message = String(error.message.prefix(while: { $0 != "\n" }))
        if let colon = message.range(of: ": "), !message[..<colon.lowerBound].contains(" "),
            !message[..<colon.lowerBound].contains("\"")
        {
            message = "<key>" + message[colon.lowerBound...]
        }
        var out = ""
        var inQuote = false
        for c in message {
            if c == "\"" {
                inQuote.toggle()
                if inQuote { out += "\"…\"" }
                continue
            }
            if inQuote { continue }
            out.append(c.isNumber ? "#" : c)
        }
        out = out.replacingOccurrences(of: #"[^\s:()"]*/[^\s:()"]*"#, with: "<path>", options: .regularExpression)
        out = out.replacingOccurrences(of: #"#+"#, with: "#", options: .regularExpression)
        return String(out.prefix(90))
    }

    /// The text with control and invisible characters written as `\u{…}`, so that a printed
    /// input can be pasted back.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let invisible =
                (scalar.value < 0x20 && scalar != "\n") || (0x7F...0xA0).contains(scalar.value)
                || [0x2028, 0x2029, 0xFEFF].contains(scalar.value)
            out += invisible ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return out
    }

    @Test func mutatedFilesLoadOrFailWithAPosition() throws {
        let env = ProcessInfo.processInfo.environment
        let seedValue = env["COVE_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
        let samples = env["COVE_FUZZ_SAMPLES"].flatMap { Int($0) } ?? 4000
        let trace = env["COVE_FUZZ_LAST"]
        let corpus = Self.corpus()
        try #require(!corpus.isEmpty, "no corpus: no valid fixtures and no examples")
        print(
            "LoaderFuzzTests: seed \(seedValue) (set COVE_FUZZ_SEED to change), \(samples) samples over \(corpus.count) files"
        )

        var rng = SplitMix64(seed: seedValue)
        var loaded = 0
        var failedWithPosition = 0
        var allowedWithoutLine = 0
        var kinds: [String: Int] = [:]
        var violations: [(String, String, String)] = []
        let start = Date()

        for i in 0..<samples {
            let seed = corpus[i % corpus.count]
            var mutator = Mutator(rng: SplitMix64(seed: rng.next()))
            let text = mutator.mutate(seed.text)
            if let trace { try? text.write(toFile: trace, atomically: false, encoding: .utf8) }
            let outcome = Self.load(text, seed: seed)
            switch outcome {
            case .loaded:
                loaded += 1
            case .failed(let error):
                kinds[Self.kind(of: error), default: 0] += 1
                if let why = Self.violation(outcome, text: text) {
                    // Minimizing is slow: only the first few are shrunk.
                    let shown = violations.count < 10 ? Self.minimize(text, seed: seed) : text
                    violations.append(("\(seed.path) (sample \(i))", "\(why): \(error)", shown))
                } else if (error.location?.line ?? 0) > 0 {
                    failedWithPosition += 1
                } else {
                    allowedWithoutLine += 1
                }
            }
        }

        let elapsed = Date().timeIntervalSince(start)
        var report = "LoaderFuzzTests: \(samples) samples in \(String(format: "%.1f", elapsed)) s: "
        report += "\(loaded) loaded, \(failedWithPosition) failed with file:line:col, "
        report += "\(allowedWithoutLine) failed without a line (empty document), "
        report += "\(violations.count) violations\n"
        report += "errors by kind:\n"
        for (kind, count) in kinds.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            report += String(format: "%6d  ", count) + kind + "\n"
        }
        print(report)

        for (path, what, input) in violations.prefix(10) {
            Issue.record("from \(path): \(what)\nminimized input:\n\(Self.visible(input))")
        }
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    | " + $0 }.joined(separator: "\n")
    }

    /// Shrinks a failing input while it still violates the property: removes chunks of
    /// lines, halving their size down to one line, then single characters.
    static func minimize(_ text: String, seed: Seed) -> String {
        func stillFails(_ candidate: String) -> Bool {
            violation(load(candidate, seed: seed), text: candidate) != nil
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var chunk = max(1, lines.count / 2)
        while true {
            var i = 0
            var removed = false
            while i < lines.count {
                var candidate = lines
                candidate.removeSubrange(i..<min(lines.count, i + chunk))
                if stillFails(candidate.joined(separator: "\n")) {
                    lines = candidate
                    removed = true
                } else {
                    i += chunk
                }
            }
            if chunk == 1 && !removed { break }
            if !removed || chunk > 1 { chunk = max(1, chunk / 2) }
        }
        var chars = Array(lines.joined(separator: "\n"))
        var i = 0
        while i < chars.count, chars.count < 400 {
            var candidate = chars
            candidate.remove(at: i)
            if stillFails(String(candidate)) { chars = candidate } else { i += 1 }
        }
        return String(chars)
    }
}

/// SplitMix64: a small, fast, deterministic generator (the same numbers for a seed on
/// every platform and Swift version, unlike the standard library's algorithms built on
/// `RandomNumberGenerator`).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (`n` > 0).
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// The mutations. Every result is a valid Swift string (so valid UTF-8): "byte flips"
/// replace whole Unicode scalars.
struct Mutator {
    var rng: SplitMix64

    static let tokens = [
        ":", ": ", "- ", "-", "{", "}", "[", "]", ",", "&a ", "*a", "<<: ", "<<: *a", "!reset ", "!override ",
        "!!str ", "!!int ", "${", "$", "${X}", "${X:?boom}", "${X?}", "${X:-", "$$", "\t", "\"", "'", "#", "? ",
        "---\n", "...\n", "|\n", ">-\n", "%YAML 1.2\n", "@", "`", "~", "null", "\n", "  ", "\\", "\u{0}", "\u{7}",
        "\u{FEFF}", "\u{2028}", "é", "😀", "&b [*a, *a, *a, *a]",
    ]

    static let scalars = [
        "42", "-1", "0", "3.14", "1e400", "99999999999999999999", "0x1F", "0o17", ".inf", ".nan", "true", "false",
        "yes", "null", "~", "''", "\"\"", "[]", "{}", "[a, b]", "{a: 1}", "[1, [2, [3]]]", "- x", "!reset",
        "!override x",
        "!reset []", "*a", "&a x", "${X}", "${X:-d}", "${X:?boom}", "${X?}", "${", "$${X}", "'unterminated",
        "\"unterminated", "[", "{", ".", "..", "/", "./", "~/x", "service:web", "service:nope", "container:x", "web",
        "db", "nope", "80", "80:80", "8080:80/udp", "[::1]:80:80", "1-3:1-3", "65536", "a:b:c:d", "data:/data:ro",
        "./x:/y:z", "10s", "1m30s", "-5s", "1zb", "512m", "service_healthy", "bogus", "always", "CMD-SHELL",
        "\"quoted: value\"", "|\n  block", ">\n  folded", "x\ty",
    ]

    static let keys = [
        "services", "networks", "volumes", "secrets", "configs", "include", "name", "version", "x-ext", "image",
        "build", "depends_on", "extends", "ports", "environment", "env_file", "profiles", "deploy", "replicas",
        "scale", "container_name", "links", "network_mode", "healthcheck", "<<", "service", "file", "path",
        "volumes_from", "command", "labels", "servics", "imagee",
    ]

    mutating func mutate(_ text: String) -> String {
        var out = text
        for _ in 0..<(1 + rng.below(3)) { out = mutateOnce(out) }
        return out
    }

    mutating func mutateOnce(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.isEmpty { lines = [""] }
        let i = rng.below(lines.count)
        switch rng.below(16) {
        case 0, 13:  // delete a line
            lines.remove(at: i)
        case 1:  // duplicate a line
            lines.insert(lines[i], at: i)
        case 2:  // swap two lines
            lines.swapAt(i, rng.below(lines.count))
        case 3:  // re-indent a line
            let line = lines[i]
            let body = line.drop(while: { $0 == " " })
            let indent = line.count - body.count
            let delta = rng.pick([-4, -2, -1, 1, 2, 4])
            lines[i] = String(repeating: " ", count: max(0, indent + delta)) + body
        case 4, 5:  // insert a token somewhere in a line
            lines[i] = insert(rng.pick(Self.tokens), into: lines[i])
        case 6, 7, 14, 15:  // replace a value by a value of another type
            lines[i] = replaceValue(lines[i], with: rng.pick(Self.scalars))
        case 8:  // replace a key
            lines[i] = replaceKey(lines[i], with: rng.pick(Self.keys))
        case 9:  // truncate
            let chars = Array(text)
            return String(chars.prefix(rng.below(chars.count + 1)))
        case 10:  // replace a character by another scalar
            var scalars = Array(text.unicodeScalars)
            guard !scalars.isEmpty else { return text }
            scalars[rng.below(scalars.count)] = randomScalar()
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        case 11:  // duplicate or move a block of lines
            let end = min(lines.count, i + 1 + rng.below(6))
            let block = Array(lines[i..<end])
            if rng.chance(50) {
                lines.insert(contentsOf: block, at: rng.below(lines.count + 1))
            } else {
                lines.removeSubrange(i..<end)
                lines.insert(contentsOf: block, at: rng.below(lines.count + 1))
            }
        default:  // anchor a value and alias it elsewhere
            lines[i] = replaceValue(lines[i], with: "&a " + (value(of: lines[i]) ?? "x"))
            let j = rng.below(lines.count)
            lines[j] = replaceValue(lines[j], with: "*a")
        }
        return lines.joined(separator: "\n")
    }

    mutating func insert(_ token: String, into line: String) -> String {
        let chars = Array(line)
        let at = rng.below(chars.count + 1)
        return String(chars[..<at]) + token + String(chars[at...])
    }

    func value(of line: String) -> String? {
        guard let colon = line.range(of: ": ") else { return nil }
        return String(line[colon.upperBound...])
    }

    /// `key: value` → `key: new`; `- item` → `- new`; otherwise the line with ` new` appended.
    mutating func replaceValue(_ line: String, with new: String) -> String {
        if let colon = line.range(of: ": ") { return String(line[..<colon.upperBound]) + new }
        if line.hasSuffix(":") { return line + " " + new }
        if let dash = line.range(of: "- ") { return String(line[..<dash.upperBound]) + new }
        return line + " " + new
    }

    mutating func replaceKey(_ line: String, with key: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line }
        let body = line.drop(while: { $0 == " " || $0 == "-" })
        let prefix = line[..<body.startIndex]
        return String(prefix) + key + String(line[colon...])
    }

    mutating func randomScalar() -> Unicode.Scalar {
        switch rng.below(10) {
        case 0: return Unicode.Scalar(UInt8(rng.below(32)))  // control characters, NUL and tab included
        case 1:
            return rng.pick([
                "\u{7F}", "\u{85}", "\u{A0}", "\u{FEFF}", "\u{2028}", "\u{FFFD}", "é", "ß", "\u{1F600}", "\u{10FFFF}",
            ])
        default: return Unicode.Scalar(UInt8(32 + rng.below(95)))  // printable ASCII
        }
    }
}
