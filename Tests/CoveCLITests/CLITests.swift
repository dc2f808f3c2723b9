import Foundation
import Testing

/// The `cove` command line, driven as a user drives it: flags, environment variables,
/// exit codes and output.
@Suite final class CLITests {
    /// Project directories this test made; removed when the test ends, pass or fail.
    private var made: [URL] = []

    deinit {
        for dir in made { try? FileManager.default.removeItem(at: dir) }
    }

    private func project(_ files: [String: String]) throws -> URL {
        let dir = try CLI.project(files)
        made.append(dir)
        return dir
    }

    static let basic = """
        services:
          web:
            image: nginx:${TAG:-1.25}
            depends_on: [api]
            ports: ["8080:80"]
            volumes: [static:/srv]
          api:
            image: api
            build: ./api
            depends_on: [db]
            networks: [back]
          db:
            image: postgres
            networks: [back]
          debug:
            image: busybox
            profiles: [debug]
        networks:
          back:
        volumes:
          static:
        """

    @Test func versionAndHelp() throws {
        let dir = try project([:])
        let version = try CLI.run(["--version"], in: dir)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("cove version "))
        let help = try CLI.run(["--help"], in: dir)
        #expect(help.status == 0)
        #expect(help.stdout.contains("config"))
        #expect(help.stdout.contains("graph"))
        for flag in ["--file", "--project-name", "--project-directory", "--profile", "--env-file"] {
            #expect(help.stdout.contains(flag), "\(flag) missing from --help")
        }
    }

    @Test func exitCodes() throws {
        let dir = try project(["compose.yaml": Self.basic])
        #expect(try CLI.run(["config", "-q"], in: dir).status == 0)
        #expect(try CLI.run(["nosuchcommand"], in: dir).status == 2)
        #expect(try CLI.run(["config", "--nosuchflag"], in: dir).status == 2)
        #expect(try CLI.run(["config", "--format", "xml"], in: dir).status == 2)
        let missing = try CLI.run(["-f", "nope.yaml", "config"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.yaml"))
        #expect(missing.stdout.isEmpty)
        let empty = try project([:])
        let none = try CLI.run(["config"], in: empty)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no compose file found"))
    }

    @Test func quietPrintsNothing() throws {
        let dir = try project(["compose.yaml": Self.basic])
        let run = try CLI.run(["config", "-q"], in: dir)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.isEmpty)
    }

    @Test func listings() throws {
        let dir = try project(["compose.yaml": Self.basic])
        #expect(try CLI.run(["config", "--services"], in: dir).stdout == "db\napi\nweb\n")
        #expect(try CLI.run(["--profile", "debug", "config", "--services"], in: dir).stdout == "db\ndebug\napi\nweb\n")
        #expect(
            try CLI.run(["config", "--services"], in: dir, env: ["COMPOSE_PROFILES": "debug"]).stdout.contains("debug"))
        #expect(try CLI.run(["config", "--volumes"], in: dir).stdout == "static\n")
        #expect(try CLI.run(["config", "--networks"], in: dir).stdout == "back\ndefault\n")
        #expect(try CLI.run(["config", "--profiles"], in: dir).stdout == "debug\n")
        let dirName = dir.lastPathComponent.lowercased()
        #expect(try CLI.run(["config", "--images"], in: dir).stdout == "postgres\napi\nnginx:1.25\n")
        #expect(try CLI.run(["-p", "demo", "config", "--images"], in: dir).stdout.contains("api"))
        #expect(!dirName.isEmpty)
    }

    @Test func namedServiceEnablesItsProfileAndNarrows() throws {
        let dir = try project(["compose.yaml": Self.basic])
        #expect(try CLI.run(["config", "--services", "debug"], in: dir).stdout == "debug\n")
        #expect(try CLI.run(["config", "--services", "api"], in: dir).stdout == "db\napi\n")
        let unknown = try CLI.run(["config", "nosuch"], in: dir)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no such service: nosuch"))
    }

    @Test func projectNamePrecedence() throws {
        let dir = try project([
            "compose.yaml": "name: fromfile\n" + Self.basic, ".env": "COMPOSE_PROJECT_NAME=fromdotenv\n",
        ])
        func name(_ args: [String], _ env: [String: String] = [:]) throws -> String {
            let out = try CLI.run(args + ["config"], in: dir, env: env).stdout
            return String(out.split(separator: "\n").first ?? "")
        }
        #expect(try name(["-p", "fromflag"], ["COMPOSE_PROJECT_NAME": "fromenv"]) == "name: fromflag")
        #expect(try name([], ["COMPOSE_PROJECT_NAME": "fromenv"]) == "name: fromenv")
        #expect(try name([]) == "name: fromdotenv")
        let bad = try CLI.run(["-p", "Bad Name", "config"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("invalid project name"))
    }

    @Test func filesFromFlagsEnvironmentStdinAndDiscovery() throws {
        let dir = try project([
            "compose.yaml": "services:\n  a:\n    image: a\n",
            "compose.override.yaml": "services:\n  a:\n    image: a-override\n",
            "other.yaml": "services:\n  b:\n    image: b\n",
            "third.yaml": "services:\n  c:\n    image: c\n",
            "sub/dir/.keep": "",
        ])
        #expect(try CLI.run(["config", "--images"], in: dir).stdout == "a-override\n")
        #expect(
            try CLI.run(["config", "--images"], in: dir.appendingPathComponent("sub/dir")).stdout == "a-override\n")
        #expect(try CLI.run(["-f", "other.yaml", "config", "--images"], in: dir).stdout == "b\n")
        #expect(
            try CLI.run(["-f", "other.yaml", "-f", "third.yaml", "config", "--services"], in: dir).stdout == "b\nc\n")
        #expect(
            try CLI.run(["config", "--services"], in: dir, env: ["COMPOSE_FILE": "other.yaml:third.yaml"]).stdout
                == "b\nc\n")
        let stdin = try CLI.run(
            ["-f", "-", "config", "--images"], in: dir, stdin: "services:\n  s:\n    image: from-stdin\n")
        #expect(stdin.stdout == "from-stdin\n")
    }

    @Test func envFilesAndShellPrecedence() throws {
        let dir = try project([
            "compose.yaml": "services:\n  a:\n    image: \"img:${TAG}\"\n",
            ".env": "TAG=dotenv\n",
            "alt.env": "TAG=alt\n",
        ])
        #expect(try CLI.run(["config", "--images"], in: dir).stdout == "img:dotenv\n")
        #expect(try CLI.run(["--env-file", "alt.env", "config", "--images"], in: dir).stdout == "img:alt\n")
        #expect(try CLI.run(["config", "--images"], in: dir, env: ["TAG": "shell"]).stdout == "img:shell\n")
        let unset = try project(["compose.yaml": "services:\n  a:\n    image: \"img${TAG}\"\n"])
        let run = try CLI.run(["config", "--images"], in: unset)
        #expect(run.stdout == "img\n")
        #expect(run.stderr.contains("\"TAG\" variable is not set"))
        let raw = try CLI.run(["config", "--no-interpolate"], in: unset)
        #expect(raw.stdout.contains("img${TAG}"))
    }

    @Test func jsonOutputAndOutputFile() throws {
        let dir = try project(["compose.yaml": Self.basic])
        let json = try CLI.run(["config", "--format", "json"], in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["services"] as? [String: Any])?.keys.sorted() == ["api", "db", "web"])
        let written = try CLI.run(["config", "-o", "out.yaml"], in: dir)
        #expect(written.status == 0)
        #expect(written.stdout.isEmpty)
        let text = try String(contentsOf: dir.appendingPathComponent("out.yaml"), encoding: .utf8)
        #expect(text == (try CLI.run(["config"], in: dir)).stdout)
    }

    @Test func hashIsStableAcrossKeyOrderAndChangesWithConfig() throws {
        let one = try project([
            "compose.yaml": "services:\n  a:\n    image: x\n    environment: {A: '1', B: '2'}\n    ports: ['80:80']\n"
        ])
        let two = try project([
            "compose.yaml":
                "services:\n  a:\n    ports: ['80:80']\n    environment: [B=2, A=1]\n    image: x\n    depends_on: []\n    scale: 1\n"
        ])
        let three = try project([
            "compose.yaml": "services:\n  a:\n    image: x\n    environment: {A: '1', B: '3'}\n    ports: ['80:80']\n"
        ])
        let h1 = try CLI.run(["-p", "p", "config", "--hash", "*"], in: one).stdout
        let h2 = try CLI.run(["-p", "p", "config", "--hash", "a"], in: two).stdout
        let h3 = try CLI.run(["-p", "p", "config", "--hash", "*"], in: three).stdout
        #expect(h1.hasPrefix("a "))
        #expect(h1.count == "a ".count + 64 + 1)
        #expect(h1 == h2)
        #expect(h1 != h3)
        #expect(try CLI.run(["-p", "p", "config", "--hash", "*"], in: one).stdout == h1)
    }

    @Test func graphFormats() throws {
        let dir = try project(["compose.yaml": Self.basic])
        let text = try CLI.run(["graph"], in: dir)
        #expect(text.status == 0)
        #expect(text.stdout.contains("start order"))
        let dot = try CLI.run(["graph", "--format", "dot"], in: dir)
        #expect(dot.stdout.hasPrefix("digraph"))
        #expect(dot.stdout.contains("\"web\" -> \"api\""))
        #expect(dot.stdout.contains("\"api\" -> \"db\""))
    }

    @Test func errorsNameFileLineAndColumn() throws {
        let dir = try project(["compose.yaml": "services:\n  web:\n    image: nginx\n    depends_on: [nope]\n"])
        let run = try CLI.run(["config"], in: dir)
        #expect(run.status == 1)
        #expect(run.stderr.contains("compose.yaml:4:"))
        #expect(run.stderr.contains("undefined service \"nope\""))
    }
}
