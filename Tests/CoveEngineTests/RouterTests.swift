import CoveAPI
import CoveEngine
import CoveLinux
import Foundation
import Testing

/// The router and the system routes, without sockets.
@Suite struct RouterTests {
    static let facts = HostFacts(
        kernelVersion: "6.1.0-test", machine: "x86_64", hostname: "testhost",
        operatingSystem: "Debian GNU/Linux 12 (bookworm)", osVersion: "12", cpuCount: 2,
        memoryTotal: 24 * 1024 * 1024 * 1024, cgroupLayout: .hybrid)
    static let engine = EngineIdentity(version: "9.8.7", id: "engine-1", root: "/var/lib/cove-test", debug: false)
    static let system = SystemRoutes(
        engine: engine, hostFacts: { facts }, clock: { Date(timeIntervalSince1970: 1_700_000_000.25) },
        openFileDescriptors: { 17 })
    static let router = Router(serverVersion: "9.8.7", routes: system.routes)

    func get(_ target: String, method: String = "GET") async -> APIResponse {
        await Self.router.respond(to: APIRequest(method: method, target: target))
    }

    func message(_ response: APIResponse) throws -> String {
        try JSONDecoder().decode(APIErrorBody.self, from: Data(response.body)).message
    }

    @Test(arguments: ["/_ping", "/v1.43/_ping", "/v1.24/_ping", "/v1.41/_ping?x=1"])
    func pingAnswersOKWithDockersHeaders(target: String) async {
        let response = await get(target)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "OK")
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        #expect(response.header("API-Version") == "1.43")
        #expect(response.header("OSType") == "linux")
        #expect(response.header("Docker-Experimental") == "false")
        #expect(response.header("Cache-Control") == "no-cache, no-store, must-revalidate")
        #expect(response.header("Pragma") == "no-cache")
        #expect(response.header("Server") == "Cove/9.8.7")
    }

    @Test func headPingHasHeadersAndNoBody() async {
        let response = await get("/_ping", method: "HEAD")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("Api-Version") == "1.43")
        #expect(response.header("Docker-Experimental") == "false")
    }

    @Test func versionReportsTheEngineAndTheMachine() async throws {
        let response = await get("/v1.43/version")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let version = try JSONDecoder().decode(SystemVersion.self, from: Data(response.body))
        #expect(version.apiVersion == "1.43")
        #expect(version.minAPIVersion == "1.24")
        #expect(version.version == "9.8.7")
        #expect(version.os == "linux")
        #expect(version.arch == "amd64")
        #expect(version.kernelVersion == "6.1.0-test")
        #expect(version.platform.name == "Cove Engine")
        #expect(version.components.first?.name == "Engine")
        #expect(version.components.first?.details?["ApiVersion"] == "1.43")
        #expect(version.goVersion?.hasPrefix("swift") == true)
        #expect(version.gitCommit == nil && version.buildTime == nil)
    }

    @Test func versionJSONUsesDockersFieldNames() async throws {
        let response = await get("/version")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        for key in ["Platform", "Components", "Version", "ApiVersion", "MinAPIVersion", "Os", "Arch", "KernelVersion"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["GitCommit"] == nil, "no git commit is known, so none is reported")
    }

    @Test func infoReportsTheEngineAndTheMachine() async throws {
        let response = await get("/v1.43/info")
        #expect(response.status == 200)
        let info = try JSONDecoder().decode(SystemInfo.self, from: Data(response.body))
        #expect(info.id == "engine-1")
        #expect(info.containers == 0 && info.images == 0)
        #expect(info.driver == "cove-overlay")
        #expect(info.dockerRootDir == "/var/lib/cove-test")
        #expect(info.name == "testhost")
        #expect(info.operatingSystem == "Debian GNU/Linux 12 (bookworm)")
        #expect(info.osVersion == "12")
        #expect(info.osType == "linux")
        #expect(info.architecture == "x86_64")
        #expect(info.ncpu == 2)
        #expect(info.memTotal == 24 * 1024 * 1024 * 1024)
        #expect(info.serverVersion == "9.8.7")
        #expect(info.kernelVersion == "6.1.0-test")
        #expect(info.cgroupDriver == "cgroupfs")
        #expect(info.cgroupVersion == "1")
        #expect(info.systemTime == "2023-11-14T22:13:20.25Z")
        #expect(info.nFd == 17)
        #expect(info.swarm.localNodeState == "inactive")
        #expect(info.debug == false)
    }

    @Test func infoJSONUsesDockersFieldNames() async throws {
        let response = await get("/info")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        for key in [
            "ID", "Containers", "Images", "Driver", "DockerRootDir", "Name", "OperatingSystem", "OSType",
            "Architecture", "NCPU", "MemTotal", "ServerVersion", "KernelVersion", "CgroupDriver", "CgroupVersion",
            "SystemTime", "NFd",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
    }

    @Test func noCgroupsMeansDriverNone() {
        var facts = Self.facts
        facts.cgroupLayout = .none
        let info = Self.system.info(facts, now: Date(timeIntervalSince1970: 0))
        #expect(info.cgroupDriver == "none")
        #expect(info.cgroupVersion == nil)
        facts.cgroupLayout = .unified
        #expect(Self.system.info(facts, now: Date(timeIntervalSince1970: 0)).cgroupVersion == "2")
    }

    @Test(arguments: [
        "/nope", "/v1.43/nope", "/v1.99/nope", "/", "/version/", "/v1.43", "/vabc/version", "/v./version",
    ])
    func unknownPathsAreNotFound(target: String) async throws {
        let response = await get(target)
        #expect(response.status == 404)
        #expect(try message(response) == "page not found")
        #expect(response.header("Api-Version") == "1.43")
        #expect(response.header("Server") == "Cove/9.8.7")
    }

    @Test(arguments: [("POST", "/info"), ("DELETE", "/v1.43/version"), ("PUT", "/_ping"), ("HEAD", "/info")])
    func wrongMethodIsNotAllowed(method: String, target: String) async throws {
        let response = await get(target, method: method)
        #expect(response.status == 405)
        #expect(try message(response).contains("not allowed"))
        #expect(response.header("Allow")?.contains("GET") == true)
        #expect(response.header("Api-Version") == "1.43")
    }

    @Test func tooNewVersionIsRejectedWithDockersMessage() async throws {
        let response = await get("/v1.99/version")
        #expect(response.status == 400)
        #expect(try message(response) == "client version 1.99 is too new. Maximum supported API version is 1.43")
        #expect(response.header("Api-Version") == "1.43")
    }

    @Test func tooOldVersionIsRejectedWithDockersMessage() async throws {
        let response = await get("/v1.12/info")
        #expect(response.status == 400)
        #expect(
            try message(response)
                == "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version"
        )
    }

    @Test func absoluteFormTargetsAreRouted() async {
        #expect(await get("http://docker/v1.43/_ping").status == 200)
        #expect(await get("*").status == 400)
    }

    @Test func handlersSeeTheAskedVersion() async {
        let router = Router(
            serverVersion: "1", routes: [Route(["GET"], "/echo") { .text($0.apiVersion.description) }])
        let asked = await router.respond(to: APIRequest(method: "GET", target: "/v1.41/echo"))
        #expect(String(decoding: asked.body, as: UTF8.self) == "1.41")
        let defaulted = await router.respond(to: APIRequest(method: "GET", target: "/echo"))
        #expect(String(decoding: defaulted.body, as: UTF8.self) == "1.43")
    }

    @Test func garbageTargetsNeverTrap() async {
        let targets = [
            "", "?", "#", "//", "/v", "/v/", "/v1.43/", "/v99999999999999999999999.1/info", "\u{0}", "/\u{FFFD}",
        ]
        for target in targets {
            let response = await get(target)
            #expect([400, 404].contains(response.status), "\(target.debugDescription) → \(response.status)")
        }
    }
}
