import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation
import Testing

@testable import CoveEngine

/// `GET /images/{name}/history` and `POST /images/prune` against a repository on a temporary root.
@Suite struct ImageHistoryPruneRoutesTests {
    typealias Fixture = ImageRoutesTests.Fixture

    /// Registers an image of two layers whose history has three steps, the middle one empty.
    func registerThreeSteps(_ fixture: Fixture) throws -> Digest {
        let content = fixture.routes.repository.content
        let first = try content.write(Data(repeating: 1, count: 1000))
        let second = try content.write(Data(repeating: 2, count: 300))
        let config = ImageConfig(
            architecture: "amd64", os: "linux", rootfs: RootFS(diffIDs: [first.digest, second.digest]),
            history: [
                History(created: "2024-01-02T03:04:05.123456789Z", createdBy: "/bin/sh -c #(nop) ADD file:abc in /"),
                History(
                    created: "2024-01-02T03:04:06Z", createdBy: "/bin/sh -c #(nop)  CMD [\"sh\"]", emptyLayer: true),
                History(created: "2024-01-03T00:00:00+01:00", createdBy: "RUN make", comment: "built"),
            ],
            created: "2024-01-03T00:00:00Z")
        let configBlob = try content.write(try OCIJSON.encode(config))
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
            layers: [first, second].map { Descriptor(mediaType: MediaType.ociLayer, digest: $0.digest, size: $0.size) })
        let manifestBlob = try content.write(try OCIJSON.encode(manifest))
        let registration = try ImageRegistration(
            manifest: manifest, manifestDigest: manifestBlob.digest, config: config,
            references: [try ImageReference(parsing: "steps:1")])
        return try fixture.routes.repository.register(registration).id
    }

    @Test func historyIsNewestFirstWithLayerSizes() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let id = try registerThreeSteps(fixture)
        let response = await fixture.send("GET", "/v1.43/images/steps:1/history")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let entries = try #require(try fixture.json(response) as? [[String: Any]])
        #expect(entries.map { $0["Id"] as? String } == [id.description, "<missing>", "<missing>"])
        #expect(entries.map { $0["Size"] as? Int } == [300, 0, 1000])
        #expect(entries.map { $0["Created"] as? Int } == [1_704_236_400, 1_704_164_646, 1_704_164_645])
        #expect(entries.map { $0["Comment"] as? String } == ["built", "", ""])
        #expect(entries.first?["CreatedBy"] as? String == "RUN make")
        #expect(entries.first?["Tags"] as? [String] == ["steps:1"])
        #expect(entries.last?["Tags"] is NSNull)

        let missing = await fixture.send("GET", "/images/nosuch/history")
        #expect(missing.status == 404)
    }

    @Test func historyOfAnImport() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let created = await fixture.importTar(ImageRoutesTests.tarBytes, as: "myimg:1")
        let id = try #require(try fixture.json(created) as? [String: String])["status"]
        let entries = try #require(
            try fixture.json(await fixture.send("GET", "/images/myimg:1/history")) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["Id"] as? String == id)
        #expect(entries.first?["Created"] as? Int == 1_700_000_000)
        #expect(entries.first?["CreatedBy"] as? String == "cove import")
        #expect(entries.first?["Size"] as? Int == ImageRoutesTests.tarBytes.count)
    }

    @Test func pruneRemovesDanglingImagesThenAllAndTheirBlobs() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let content = fixture.routes.repository.content
        let tagged = await fixture.importTar(ImageRoutesTests.tarBytes, as: "myimg:1")
        #expect(tagged.status == 200)
        let before = try content.list()
        let dangling = await fixture.importTar(Array("another layer".utf8) + [UInt8](repeating: 7, count: 900), as: "")
        let danglingID = try #require(try fixture.json(dangling) as? [String: String])["status"]
        let danglingBlobs = try content.list().filter { !before.contains($0) }
        #expect(danglingBlobs.count == 3)
        var danglingBytes: Int64 = 0
        for blob in danglingBlobs { danglingBytes += try content.size(of: blob) }

        let pruned = await fixture.send(
            "POST", "/v1.43/images/prune?filters=%7B%22dangling%22%3A%7B%22true%22%3Atrue%7D%7D")
        #expect(pruned.status == 200, "\(String(decoding: pruned.body, as: UTF8.self))")
        let report = try #require(try fixture.json(pruned) as? [String: Any])
        #expect(report["ImagesDeleted"] as? [[String: String]] == [["Deleted": danglingID ?? "?"]])
        #expect(report["SpaceReclaimed"] as? Int == Int(danglingBytes))
        #expect(Set(try content.list()) == Set(before))

        let again = try #require(try fixture.json(await fixture.send("POST", "/images/prune")) as? [String: Any])
        #expect(again["ImagesDeleted"] is NSNull)
        #expect(again["SpaceReclaimed"] as? Int == 0)

        let all = await fixture.send("POST", "/images/prune?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D")
        let allReport = try #require(try fixture.json(all) as? [String: Any])
        let items = try #require(allReport["ImagesDeleted"] as? [[String: String]])
        #expect(items.first == ["Untagged": "myimg:1"])
        #expect(items.count == 2 && items.last?["Deleted"]?.hasPrefix("sha256:") == true)
        #expect((allReport["SpaceReclaimed"] as? Int ?? 0) > ImageRoutesTests.tarBytes.count)
        #expect(try content.list().isEmpty)
        #expect(try fixture.routes.repository.list().isEmpty)

        let bad = await fixture.send("POST", "/images/prune?filters=%7B%22label%22%3A%5B%22a%22%5D%7D")
        #expect(bad.status == 400)
    }
}
