import CoveAPI
import CoveCore
import Testing

/// Parsing `unix://` hosts and choosing one from `--host`, `COVE_HOST` and `DOCKER_HOST`.
@Suite struct EngineHostTests {
    @Test func parsesAUnixSocketURL() throws {
        #expect(try EngineHost(parsing: "unix:///run/cove/cove.sock") == .unix(path: "/run/cove/cove.sock"))
        #expect(try EngineHost(parsing: "UNIX:///tmp/a b.sock").socketPath == "/tmp/a b.sock")
        #expect(EngineHost.unix(path: "/var/run/docker.sock").description == "unix:///var/run/docker.sock")
        #expect(EngineHost.default.description == "unix:///run/cove/cove.sock")
    }

    @Test(arguments: [
        ("tcp://127.0.0.1:2375", "the tcp:// scheme is not supported yet; only unix:///path/to/socket is"),
        ("ssh://me@box", "the ssh:// scheme is not supported yet"),
        ("npipe:////./pipe/docker_engine", "the npipe:// scheme is not supported yet"),
        ("unix://relative.sock", "the socket path must be absolute"),
        ("unix://", "the socket path must be absolute"),
        ("/run/cove/cove.sock", "expected unix:///path/to/socket"),
        ("localhost:2375", "expected unix:///path/to/socket"),
        ("", "the engine host must not be empty"),
    ])
    func rejectsWhatIsNotAnAbsoluteUnixSocket(text: String, expected: String) {
        #expect {
            try EngineHost(parsing: text)
        } throws: { error in
            guard let error = error as? CoveError else { return false }
            return error.code == .invalidInput && error.message.contains(expected)
        }
    }

    @Test func flagBeatsCoveHostBeatsDockerHostBeatsTheDefault() throws {
        let both = ["COVE_HOST": "unix:///tmp/cove.sock", "DOCKER_HOST": "unix:///var/run/docker.sock"]
        let flag = try EngineHostSelection.resolve(flag: "unix:///tmp/flag.sock", environment: both)
        #expect(flag == EngineHostSelection(host: .unix(path: "/tmp/flag.sock"), source: .flag))
        let cove = try EngineHostSelection.resolve(flag: nil, environment: both)
        #expect(cove == EngineHostSelection(host: .unix(path: "/tmp/cove.sock"), source: .coveHost))
        let docker = try EngineHostSelection.resolve(flag: nil, environment: ["DOCKER_HOST": both["DOCKER_HOST"] ?? ""])
        #expect(docker == EngineHostSelection(host: .unix(path: "/var/run/docker.sock"), source: .dockerHost))
        let none = try EngineHostSelection.resolve(flag: nil, environment: [:])
        #expect(none == EngineHostSelection(host: .default, source: .default))
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let selection = try EngineHostSelection.resolve(
            flag: nil, environment: ["COVE_HOST": "", "DOCKER_HOST": "unix:///var/run/docker.sock"])
        #expect(selection.source == .dockerHost)
        #expect(
            try EngineHostSelection.resolve(flag: nil, environment: ["COVE_HOST": "", "DOCKER_HOST": ""]).source
                == .default)
    }

    @Test func anInvalidValueNamesWhereItCameFrom() {
        for (flag, environment, origin) in [
            ("tcp://x:1", [String: String](), "--host"), (nil, ["COVE_HOST": "tcp://x:1"], "COVE_HOST"),
            (nil, ["DOCKER_HOST": "tcp://x:1"], "DOCKER_HOST"),
        ] {
            #expect {
                try EngineHostSelection.resolve(flag: flag, environment: environment)
            } throws: { error in
                (error as? CoveError)?.message.hasPrefix("\(origin): engine host \"tcp://x:1\"") == true
            }
        }
        // a valid flag wins even over an invalid variable: the variable is never read
        #expect(
            (try? EngineHostSelection.resolve(flag: "unix:///a.sock", environment: ["COVE_HOST": "tcp://x"])) != nil)
    }

    @Test func onlyCoveSocketsMayStartTheDaemon() {
        #expect(EngineHostSelection(host: .default, source: .default).mayStartDaemon)
        #expect(EngineHostSelection(host: .unix(path: "/tmp/x.sock"), source: .coveHost).mayStartDaemon)
        #expect(EngineHostSelection(host: .default, source: .flag).mayStartDaemon)
        #expect(!EngineHostSelection(host: .unix(path: "/tmp/x.sock"), source: .flag).mayStartDaemon)
        #expect(!EngineHostSelection(host: .unix(path: "/var/run/docker.sock"), source: .dockerHost).mayStartDaemon)
        #expect(!EngineHostSelection(host: .default, source: .dockerHost).mayStartDaemon)
    }
}
