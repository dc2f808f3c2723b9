import CoveAPI
import CoveCore
import CoveStore
import Foundation
import Testing

@testable import CoveEngine

/// The `/volumes` endpoints against a state database and volume directory on a temporary root
/// (no root needed): Docker's shapes, filters, prune rules and errors.
@Suite struct VolumeRoutesTests {
    struct Fixture {
        let root: URL
        let service: VolumeService
        let router: Router

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("cove-volume-routes-\(UUID())")
            let state = try StateStore(root: root)
            service = try VolumeService(repository: VolumeRepository(state: state), root: root.path)
            router = Router(serverVersion: "test", routes: VolumeRoutes(service: service).routes)
        }

        func send(_ method: String, _ target: String, _ body: String = "") async -> APIResponse {
            await router.respond(to: APIRequest(method: method, target: target, body: Array(body.utf8)))
        }

        func json(_ response: APIResponse) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }

        func names(_ query: String = "") async throws -> [String] {
            let response = await send("GET", "/v1.43/volumes" + query)
            let volumes = try #require(try json(response)["Volumes"] as? [[String: Any]])
            return volumes.compactMap { $0["Name"] as? String }
        }

        func cleanUp() { try? FileManager.default.removeItem(at: root) }
    }

    static func filters(_ text: String) -> String {
        "?filters=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    @Test func createsInspectsListsAndFilters() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let created = await fixture.send("POST", "/v1.43/volumes/create", #"{"Name":"web","Labels":{"tier":"front"}}"#)
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let body = try fixture.json(created)
        #expect(body["Name"] as? String == "web" && body["Driver"] as? String == "local")
        #expect(body["Mountpoint"] as? String == fixture.root.path + "/volumes/web/_data")
        #expect(body["Scope"] as? String == "local" && body["Labels"] as? [String: String] == ["tier": "front"])
        #expect(FileManager.default.fileExists(atPath: fixture.root.path + "/volumes/web/_data"))
        // Creating an existing name answers the existing volume.
        let again = await fixture.send("POST", "/v1.43/volumes/create", #"{"Name":"web"}"#)
        #expect(try fixture.json(again)["Labels"] as? [String: String] == ["tier": "front"])
        let generated = try fixture.json(await fixture.send("POST", "/v1.43/volumes/create", "{}"))
        let anonymousName = try #require(generated["Name"] as? String)
        #expect(anonymousName.count == 64)

        #expect(try await fixture.names().sorted() == [anonymousName, "web"].sorted())
        #expect(try await fixture.names(Self.filters(#"{"label":["tier=front"]}"#)) == ["web"])
        #expect(try await fixture.names(Self.filters(#"{"name":{"we":true}}"#)) == ["web"])
        #expect(try await fixture.names(Self.filters(#"{"driver":["local"],"dangling":["true"]}"#)).count == 2)
        #expect(try await fixture.names(Self.filters(#"{"dangling":["false"]}"#)).isEmpty)
        let inspected = await fixture.send("GET", "/v1.43/volumes/web")
        #expect(try fixture.json(inspected)["CreatedAt"] as? String != nil)
    }

    @Test func answersDockersErrors() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let cases: [(String, String, String, Int, String)] = [
            ("GET", "/v1.43/volumes/nope", "", 404, "get nope: no such volume"),
            ("DELETE", "/v1.43/volumes/nope", "", 404, "get nope: no such volume"),
            ("POST", "/v1.43/volumes/create", #"{"Name":"a b"}"#, 400, "includes invalid characters"),
            (
                "POST", "/v1.43/volumes/create", #"{"Name":"x1","Driver":"nfs"}"#, 404,
                "error looking up volume plugin nfs"
            ),
            ("POST", "/v1.43/volumes/create", #"{"Name":"x1","DriverOpts":{"type":"tmpfs"}}"#, 400, "takes no options"),
            ("POST", "/v1.43/volumes/create", "{not json", 400, "invalid JSON"),
            ("GET", "/v1.43/volumes" + Self.filters(#"{"colour":["red"]}"#), "", 400, "invalid filter 'colour'"),
            ("GET", "/v1.43/volumes" + Self.filters(#"{"dangling":["maybe"]}"#), "", 400, "invalid filter"),
            ("POST", "/v1.43/volumes/prune" + Self.filters(#"{"until":["1h"]}"#), "", 400, "invalid filter"),
        ]
        for (method, target, body, status, message) in cases {
            let response = await fixture.send(method, target, body)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == status, "\(method) \(target): \(text)")
            #expect(text.contains(message), "\(method) \(target): \(text)")
        }
        #expect(try await fixture.names().isEmpty)
    }

    @Test func pruneTakesAnonymousVolumesUnlessAll() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        _ = try fixture.service.ensure("named", labels: ["keep": "no"])
        _ = try fixture.service.ensure("anon1", labels: [VolumeRecord.anonymousLabel: ""])
        try Data(repeating: 7, count: 3000).write(
            to: URL(fileURLWithPath: fixture.service.dataPath("anon1") + "/blob"))
        let first = try fixture.json(await fixture.send("POST", "/v1.43/volumes/prune"))
        #expect(first["VolumesDeleted"] as? [String] == ["anon1"])
        #expect(first["SpaceReclaimed"] as? Int == 3000)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.path + "/volumes/anon1"))
        let labelled = try fixture.json(
            await fixture.send("POST", "/v1.43/volumes/prune" + Self.filters(#"{"all":["true"],"label!":["keep"]}"#)))
        #expect(labelled["VolumesDeleted"] as? [String] == [])
        let all = try fixture.json(
            await fixture.send("POST", "/v1.43/volumes/prune" + Self.filters(#"{"all":["true"]}"#)))
        #expect(all["VolumesDeleted"] as? [String] == ["named"])
        #expect(try await fixture.names().isEmpty)
    }

    @Test func aDirectoryWithoutARecordIsRemovedAtStart() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        _ = try fixture.service.ensure("kept", labels: [:])
        let orphan = fixture.root.path + "/volumes/orphan/_data"
        try FileManager.default.createDirectory(atPath: orphan, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: orphan + "/etc", withDestinationPath: "/etc")
        _ = try VolumeService(repository: fixture.service.repository, root: fixture.root.path)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.path + "/volumes/orphan"))
        #expect(FileManager.default.fileExists(atPath: fixture.service.dataPath("kept")))
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
    }
}
