import CoveCore
import Testing

@testable import CoveCompose

@Suite struct TemplateTests {
    let template = Template(lookup: { ["SET": "value", "EMPTY": "", "N": "3"][$0] })

    func sub(_ s: String) throws -> String { try template.substitute(s) }

    @Test func forms() throws {
        #expect(try sub("$SET") == "value")
        #expect(try sub("${SET}") == "value")
        #expect(try sub("a${SET}b$SET.c") == "avalueb" + "value.c")
        #expect(try sub("${EMPTY:-d}") == "d")
        #expect(try sub("${EMPTY-d}") == "")
        #expect(try sub("${UNSET-d}") == "d")
        #expect(try sub("${SET:+r}") == "r")
        #expect(try sub("${EMPTY:+r}") == "")
        #expect(try sub("${EMPTY+r}") == "r")
        #expect(try sub("${UNSET+r}") == "")
        #expect(try sub("${SET:?e}") == "value")
        #expect(try sub("${EMPTY?e}") == "")
        #expect(try sub("${UNSET:-${ALSO:-${SET}}}") == "value")
        #expect(try sub("${UNSET:-a}}") == "a}")
        #expect(try sub("$$SET $${SET} $5 $") == "$SET ${SET} $5 $")
    }

    @Test func requiredVariables() {
        #expect(throws: Template.Failure.required(variable: "UNSET", message: "need it")) {
            try sub("${UNSET:?need it}")
        }
        #expect(throws: Template.Failure.required(variable: "EMPTY", message: "empty")) { try sub("${EMPTY:?empty}") }
        #expect(throws: Template.Failure.required(variable: "UNSET", message: "")) { try sub("${UNSET?}") }
    }

    @Test func invalidFormats() {
        for bad in ["${", "${SET", "${}", "${1A}", "${SET:1}", "${SET//x}", "${SET:-unclosed"] {
            #expect(throws: Template.Failure.invalidFormat, "\(bad)") { try sub(bad) }
        }
    }

    @Test func unsetVariablesAreReportedOnlyWhenUsed() throws {
        var unset: [String] = []
        _ = try template.substitute("$A ${B} ${SET:-$C} ${UNSET:-$D}") { unset.append($0) }
        #expect(unset == ["A", "B", "UNSET", "D"].filter { $0 != "UNSET" })
    }
}

@Suite struct DotEnvTests {
    @Test func syntax() throws {
        let text = """
            # comment
            PLAIN=value
            export EXPORTED=yes
            SPACED = padded  
            INLINE=value # comment
            HASH=a#b
            SINGLE='literal $PLAIN \\n'
            DOUBLE="line\\nnext $PLAIN"
            MULTI="one
            two"
            YAMLISH: colon
            EMPTY=
            REF=${PLAIN}-${SHELL_ONLY:-none}
            INHERITED
            """
        let pairs = try DotEnv.parse(text, file: ".env", lookup: { $0 == "INHERITED" ? "from-shell" : nil })
        let env = Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(env["PLAIN"] == "value")
        #expect(env["EXPORTED"] == "yes")
        #expect(env["SPACED"] == "padded")
        #expect(env["INLINE"] == "value")
        #expect(env["HASH"] == "a#b")
        #expect(env["SINGLE"] == "literal $PLAIN \\n")
        #expect(env["DOUBLE"] == "line\nnext value")
        #expect(env["MULTI"] == "one\ntwo")
        #expect(env["YAMLISH"] == "colon")
        #expect(env["EMPTY"] == "")
        #expect(env["REF"] == "value-none")
        #expect(env["INHERITED"] == "from-shell")
        #expect(pairs.first?.key == "PLAIN")
    }

    @Test func errorsNameTheLine() {
        #expect(throws: CoveError.self) { try DotEnv.parse("A=1\nB=\"open\n", file: ".env") }
        do {
            _ = try DotEnv.parse("A=1\nBAD KEY=1\n", file: "/p/.env")
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == 2)
            #expect(error.location?.file == "/p/.env")
        }
    }
}

@Suite struct UnitsTests {
    @Test func durations() {
        let cases: [(String, String)] = [
            ("90s", "1m30s"), ("1h", "1h0m0s"), ("1500ms", "1.5s"), ("250ms", "250ms"), ("0", "0s"),
            ("1m30s", "1m30s"), ("2h45m", "2h45m0s"), ("1.5h", "1h30m0s"), ("10us", "10µs"), ("7ns", "7ns"),
            ("-5s", "-5s"), ("100ms5s", "5.1s"),
        ]
        for (input, printed) in cases {
            let ns = Units.parseDuration(input)
            #expect(ns != nil, "\(input)")
            #expect(ns.map(Units.formatDuration) == printed, "\(input)")
        }
        for bad in ["", "10", "1x", "s", "1.2.3s", "--1s"] { #expect(Units.parseDuration(bad) == nil, "\(bad)") }
    }

    @Test func bytes() {
        #expect(Units.parseBytes("512m") == 536_870_912)
        #expect(Units.parseBytes("1g") == 1_073_741_824)
        #expect(Units.parseBytes("64M") == 67_108_864)
        #expect(Units.parseBytes("1.5GiB") == 1_610_612_736)
        #expect(Units.parseBytes("1024") == 1024)
        #expect(Units.parseBytes("10kb") == 10240)
        for bad in ["", "m", "1q", "-1m", "1e30g"] { #expect(Units.parseBytes(bad) == nil, "\(bad)") }
    }

    @Test func shellWords() throws {
        #expect(try ShellWords.split(#"echo "hello world" 'x y' a\ b"#) == ["echo", "hello world", "x y", "a b"])
        #expect(try ShellWords.split("  ") == [])
        #expect(try ShellWords.split(#"sh -c "echo \"hi\"""#) == ["sh", "-c", #"echo "hi""#])
        #expect(throws: ShellWords.Failure.self) { try ShellWords.split("echo 'open") }
    }

    @Test func pathCleaning() {
        #expect(PathResolver.clean("/a/b/../c/./d/") == "/a/c/d")
        #expect(PathResolver.clean("/../x") == "/x")
        #expect(PathResolver.clean("a/../../b") == "../b")
        let paths = PathResolver(base: "/p", home: "/home/u")
        #expect(paths.resolve("./data") == "/p/data")
        #expect(paths.resolve("../up") == "/up")
        #expect(paths.resolve("~/x") == "/home/u/x")
        #expect(paths.resolve("/abs/./x") == "/abs/./x")
        #expect(paths.resolve("./a/../b") == "/p/b")
        #expect(paths.resolve("./") == "/p")
        #expect(PathResolver(base: "/", home: "/").resolve("./x") == "/x")
        #expect(PathResolver(base: "/p/", home: "/").resolve("./x") == "/p/x")
        #expect(PathResolver.lastComponent(of: "/a/b/") == "b")
        #expect(PathResolver.lastComponent(of: "/") == "/")
        #expect(PathResolver.lastComponent(of: "c.yaml") == "c.yaml")
    }

    /// Paths that are already clean are returned without the general algorithm: on every
    /// path of up to three components, the result is the general algorithm's (Go's
    /// `path.Clean`, written out here).
    @Test func pathCleaningShortcutAgreesWithTheGeneralRule() {
        func reference(_ path: String) -> String {
            if path.isEmpty { return "." }
            let absolute = path.hasPrefix("/")
            var out: [Substring] = []
            for part in path.split(separator: "/") where part != "." {
                if part == ".." {
                    if let last = out.last, last != ".." { out.removeLast() } else if !absolute { out.append(part) }
                } else {
                    out.append(part)
                }
            }
            let joined = out.joined(separator: "/")
            return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
        }
        let parts = ["a", ".", "..", "", "...", ".b"]
        var paths = parts
        for x in parts { for y in parts { paths.append(x + "/" + y) } }
        for x in parts { for y in parts { for z in parts { paths.append(x + "/" + y + "/" + z) } } }
        for path in paths + paths.map({ "/" + $0 }) {
            #expect(PathResolver.clean(path) == reference(path), "\(path)")
        }
    }

    @Test func projectNames() {
        #expect(ProjectName.isValid("my-app_1"))
        #expect(!ProjectName.isValid("My-App"))
        #expect(!ProjectName.isValid("-app"))
        #expect(!ProjectName.isValid(""))
        #expect(ProjectName.normalized("My.App_Dir") == "myapp_dir")
        #expect(ProjectName.normalized("_x") == "x")
    }
}
