import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation
import Testing

@testable import CoveEngine

/// The image routes against a repository on a temporary root, without a socket.
@Suite struct ImageRoutesTests {
    /// A repository on a new temporary root; `cleanUp()` removes it.
    struct Fixture {
        let root: URL
        let routes: ImageRoutes
        let router: Router

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("cove-image-routes-\(UUID())")
            let content = try ContentStore(root: root.appendingPathComponent("content"))
            let repository = ImageRepository(state: try StateStore(root: root), content: content)
            routes = ImageRoutes(
                repository: repository, architecture: "amd64", clock: { Date(timeIntervalSince1970: 1_700_000_000) },
                importLimit: 1 << 20)
            router = Router(serverVersion: "test", routes: routes.routes)
        }

        var ingestFiles: [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: routes.repository.content.ingestDirectory.path)) ?? []
        }

        func send(_ method: String, _ target: String, body: RequestBodyStream? = nil) async -> APIResponse {
            await router.respond(to: APIRequest(method: method, target: target), bodyStream: body)
        }

        func json(_ response: APIResponse) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(response.body))
        }

        /// Imports `bytes` as `reference`; returns the response.
        func importTar(_ bytes: [UInt8], as repo: String, changes: [String] = []) async -> APIResponse {
            let changeQuery = changes.map {
                "&changes=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            }.joined()
            return await send(
                "POST", "/v1.43/images/create?fromSrc=-&repo=\(repo)\(changeQuery)",
                body: .chunks([Array(bytes.prefix(700)), Array(bytes.dropFirst(700))]))
        }

        func cleanUp() { try? FileManager.default.removeItem(at: root) }
    }

    /// A fake "tar": imports do not parse the archive, they store it.
    static let tarBytes: [UInt8] = Array("cove test layer".utf8) + [UInt8](repeating: 0, count: 2048)

    @Test func importListInspectTagDelete() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let created = await fixture.importTar(
            Self.tarBytes, as: "myimg:1", changes: ["CMD [\"/bin/sh\"]", "ENV A=b", "EXPOSE 80", "LABEL x=y"])
        #expect(created.status == 200, "\(String(decoding: created.body, as: UTF8.self))")
        let status = try #require(try fixture.json(created) as? [String: String])["status"]
        let id = try #require(status)
        #expect(id.hasPrefix("sha256:"))

        let list = try #require(try fixture.json(await fixture.send("GET", "/images/json")) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list.first?["Id"] as? String == id)
        #expect(list.first?["RepoTags"] as? [String] == ["myimg:1"])
        #expect(list.first?["Created"] as? Int == 1_700_000_000)
        #expect(list.first?["SharedSize"] as? Int == -1)
        #expect(list.first?["Containers"] as? Int == -1)
        #expect(list.first?["Labels"] as? [String: String] == ["x": "y"])

        let inspect = try #require(
            try fixture.json(await fixture.send("GET", "/images/myimg:1/json")) as? [String: Any])
        #expect(inspect["Id"] as? String == id)
        #expect(inspect["Os"] as? String == "linux")
        #expect(inspect["Architecture"] as? String == "amd64")
        let layers = (inspect["RootFS"] as? [String: Any])?["Layers"] as? [String]
        #expect(layers == [CoveCore.Digest.sha256(of: Self.tarBytes).description])
        let config = try #require(inspect["Config"] as? [String: Any])
        #expect(config["Cmd"] as? [String] == ["/bin/sh"])
        #expect(config["Env"] as? [String] == ["A=b"])
        #expect((config["ExposedPorts"] as? [String: Any])?.keys.sorted() == ["80/tcp"])

        let tagged = await fixture.send("POST", "/images/myimg:1/tag?repo=localhost:5000/x/y&tag=2")
        #expect(tagged.status == 201)
        let bySlashes = await fixture.send("GET", "/v1.43/images/localhost:5000/x/y:2/json")
        #expect(bySlashes.status == 200)
        let filtered = try #require(
            try fixture.json(
                await fixture.send("GET", "/images/json?filters=%7B%22reference%22%3A%5B%22myimg%22%5D%7D"))
                as? [[String: Any]])
        #expect(filtered.count == 1)

        let conflict = await fixture.send("DELETE", "/images/\(id)")
        #expect(conflict.status == 409)
        let untagged =
            try fixture.json(await fixture.send("DELETE", "/images/localhost:5000/x/y:2")) as? [[String: String]]
        #expect(untagged == [["Untagged": "localhost:5000/x/y:2"]])
        let deleted = try fixture.json(await fixture.send("DELETE", "/images/myimg:1")) as? [[String: String]]
        #expect(deleted == [["Untagged": "myimg:1"], ["Deleted": id]])
        let missing = await fixture.send("GET", "/images/myimg:1/json")
        #expect(missing.status == 404)
        #expect(String(decoding: missing.body, as: UTF8.self) == "{\"message\":\"No such image: myimg:1\"}\n")
        #expect(await fixture.send("DELETE", "/images/nosuch").status == 404)
        #expect(await fixture.send("POST", "/images/nosuch/tag?repo=a").status == 404)
    }

    @Test func danglingFilterAndUntaggedImport() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        #expect(await fixture.importTar(Self.tarBytes, as: "").status == 200)
        #expect(await fixture.importTar(Self.tarBytes + [1], as: "tagged").status == 200)
        let dangling = try #require(
            try fixture.json(await fixture.send("GET", "/images/json?filters={\"dangling\":{\"true\":true}}"))
                as? [[String: Any]])
        #expect(dangling.count == 1)
        #expect(dangling.first?["RepoTags"] as? [String] == [])
        let bad = await fixture.send("GET", "/images/json?filters={\"nope\":[\"x\"]}")
        #expect(bad.status == 400)
    }

    @Test func rejectedImportsLeaveNothing() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let gzip = await fixture.send(
            "POST", "/images/create?fromSrc=-&repo=gz", body: .chunks([[0x1F], [0x8B, 0x08, 0, 0, 0]]))
        #expect(gzip.status == 400)
        #expect(String(decoding: gzip.body, as: UTF8.self).contains("compressed import not supported yet"))
        let cut = await fixture.send(
            "POST", "/images/create?fromSrc=-&repo=cut",
            body: .chunks([Array(Self.tarBytes)], failing: CoveError(.invalidInput, "client went away")))
        #expect(cut.status == 400)
        let tooLarge = await fixture.send(
            "POST", "/images/create?fromSrc=-&repo=big", body: .chunks([[UInt8](repeating: 0, count: (1 << 20) + 1)]))
        #expect(tooLarge.status == 400)
        #expect(await fixture.send("POST", "/images/create?fromSrc=-&repo=empty", body: .chunks([])).status == 400)
        #expect(await fixture.send("POST", "/images/create?fromImage=busybox").status == 400)
        let badChange = await fixture.importTar(Self.tarBytes, as: "x", changes: ["RUN true"])
        #expect(badChange.status == 400)
        #expect(fixture.ingestFiles.isEmpty)
        #expect(try fixture.routes.repository.content.list().isEmpty)
        #expect(try fixture.routes.repository.list().isEmpty)
    }

    @Test func routerMatchesNamesWithSlashes() {
        let route = Route(["GET"], "/images/{name}/json") { _ in .text("") }
        #expect(route.parameter(in: "/images/localhost:5000/x/y:tag/json") == "localhost:5000/x/y:tag")
        #expect(route.parameter(in: "/images/a%2Fb/json") == "a/b")
        #expect(route.parameter(in: "/images//json") == nil)
        #expect(route.parameter(in: "/images/json") == nil)
        let router = Router(
            serverVersion: "t", routes: [Route(["POST"], "/images/create", streamsBody: true) { _ in .text("") }])
        #expect(router.streamsBody(method: "POST", target: "/v1.43/images/create?fromSrc=-"))
        #expect(!router.streamsBody(method: "GET", target: "/images/create"))
    }

    @Test func queryParametersAndGlob() throws {
        let query = QueryParameters("a=x+y&b=%2Fz&force=1&c&changes=A&changes=B")
        #expect(query["a"] == "x y")
        #expect(query["b"] == "/z")
        #expect(query["c"] == "")
        #expect(query.bool("force") && !query.bool("c") && !query.bool("nope"))
        #expect(query.all("changes") == ["A", "B"])
        #expect(
            try QueryParameters("filters={\"reference\":{\"a\":true,\"b\":false}}").filters() == ["reference": ["a"]])
        #expect(throws: CoveError.self) { try QueryParameters("filters=[1]").filters() }
        #expect(Glob.matches("my*", "myimg"))
        #expect(Glob.matches("myimg:?", "myimg:1"))
        #expect(!Glob.matches("*", "x/y"))
        #expect(Glob.matches("*/y", "x/y"))
        #expect(ImageRoutes.compression(of: [0x1F, 0x8B]) == "gzip")
        #expect(ImageRoutes.compression(of: [0x28, 0xB5, 0x2F, 0xFD]) == "zstd")
        #expect(ImageRoutes.compression(of: Array("./etc".utf8)) == nil)
    }

    @Test func importChanges() throws {
        var config = ContainerConfig()
        try ImageChanges.apply("CMD echo hi", to: &config)
        try ImageChanges.apply("ENTRYPOINT [\"/init\"]", to: &config)
        try ImageChanges.apply("ENV A=1 B=\"two words\"", to: &config)
        try ImageChanges.apply("ENV A 3", to: &config)
        try ImageChanges.apply("WORKDIR /app", to: &config)
        try ImageChanges.apply("USER nobody", to: &config)
        try ImageChanges.apply("EXPOSE 80 53/UDP", to: &config)
        try ImageChanges.apply("LABEL a=b", to: &config)
        #expect(config.cmd == ["/bin/sh", "-c", "echo hi"])
        #expect(config.entrypoint == ["/init"])
        #expect(config.env == ["B=two words", "A=3"])
        #expect(config.workingDir == "/app")
        #expect(config.user == "nobody")
        #expect(config.exposedPorts?.keys == ["53/udp", "80/tcp"])
        #expect(config.labels == ["a": "b"])
        #expect(throws: CoveError.self) { try ImageChanges.apply("EXPOSE http", to: &config) }
        #expect(throws: CoveError.self) { try ImageChanges.apply("CMD [broken", to: &config) }
        #expect(throws: CoveError.self) { try ImageChanges.apply("FROM x", to: &config) }
    }
}
