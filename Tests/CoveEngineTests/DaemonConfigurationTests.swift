import CoveCore
import CoveEngine
import Testing

@Suite struct DaemonConfigurationTests {
    func resolve(root: String? = nil, socket: String? = nil, env: [String: String] = [:]) throws
        -> DaemonConfiguration
    {
        try DaemonConfiguration.resolve(
            root: root, socket: socket, debug: false, version: "1", environment: env, workingDirectory: "/work/dir")
    }

    @Test func defaultsAreVarLibAndRun() throws {
        let configuration = try resolve()
        #expect(configuration.root == "/var/lib/cove")
        #expect(configuration.socketPath == "/run/cove/cove.sock")
        #expect(configuration.lockPath == "/var/lib/cove/daemon.lock")
        #expect(configuration.pidPath == "/var/lib/cove/daemon.pid")
    }

    @Test func flagBeatsEnvironmentBeatsDefault() throws {
        #expect(try resolve(env: ["COVE_ROOT": "/env/root"]).root == "/env/root")
        #expect(try resolve(root: "/flag/root", env: ["COVE_ROOT": "/env/root"]).root == "/flag/root")
        #expect(try resolve(env: ["COVE_ROOT": ""]).root == "/var/lib/cove")
        #expect(try resolve(socket: "/tmp/x.sock").socketPath == "/tmp/x.sock")
    }

    @Test func relativePathsAreTakenFromTheWorkingDirectory() throws {
        #expect(try resolve(root: "state/../st//./root/").root == "/work/dir/st/root")
        #expect(try resolve(socket: "c.sock").socketPath == "/work/dir/c.sock")
    }

    @Test func badPathsAreInputErrors() {
        #expect(throws: CoveError.self) { try resolve(root: "") }
        #expect(throws: CoveError.self) { try resolve(socket: "") }
        #expect(throws: CoveError.self) { try resolve(root: "/") }
        let long = "/tmp/" + String(repeating: "s", count: 200) + ".sock"
        #expect {
            try resolve(socket: long)
        } throws: { error in
            (error as? CoveError)?.message.contains("too long") == true
        }
    }
}
