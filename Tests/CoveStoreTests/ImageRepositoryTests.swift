import CoveCore
import CoveImage
import Foundation
import GRDB
import Testing

@testable import CoveStore

@Suite struct ImageRepositoryTests {
    @Test func registersAndListsAnImageWithItsRows() throws {
        try StoreFixture.with { fixture in
            let registration = try fixture.makeImage(seed: 1, layers: 3, references: ["busybox", "user/app:1"])
            let stored = try fixture.images.register(registration)
            #expect(stored.id == registration.id)
            #expect(stored.references == ["docker.io/library/busybox:latest", "docker.io/user/app:1"])
            #expect(stored.repoTags == ["busybox:latest", "user/app:1"])
            #expect(stored.layers.map(\.position) == [0, 1, 2])
            #expect(stored.layers.map(\.blobDigest) == registration.layers.map(\.blobDigest))
            #expect(stored.image.size == registration.layers.reduce(0) { $0 + $1.size })
            #expect(stored.image.created != nil)
            #expect(try fixture.images.list() == [stored])
            // Registering the same image again only adds references.
            var again = registration
            again.references = [try ImageReference(parsing: "other:2")]
            #expect(try fixture.images.register(again).references.count == 3)
            #expect(try fixture.images.list().count == 1)
        }
    }

    @Test func aMissingBlobMakesRegisterFailWithNothingWritten() throws {
        try StoreFixture.with { fixture in
            var registration = try fixture.makeImage(seed: 2, references: ["busybox"])
            let missing = try fixture.makeImage(seed: 3, store: false)
            registration.layers.append(missing.layers[0])
            let error = #expect(throws: CoveError.self) { try fixture.images.register(registration) }
            #expect(error?.code == .notFound)
            #expect(error?.description.contains("\(registration.id)") == true)
            #expect(error?.description.contains("\(missing.layers[0].blobDigest)") == true)
            #expect(try fixture.images.list().isEmpty)
            let counts = try fixture.state.pool.read { db in
                try ["images", "image_references", "image_layers"].map { table in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1
                }
            }
            #expect(counts == [0, 0, 0])
            // A missing config or manifest is refused as well.
            let noBlobs = try fixture.makeImage(seed: 4, layers: 0, store: false)
            #expect(throws: CoveError.self) { try fixture.images.register(noBlobs) }
        }
    }

    @Test func aLayerBlobOfAnotherSizeIsRefused() throws {
        try StoreFixture.with { fixture in
            var registration = try fixture.makeImage(seed: 5)
            registration.layers[1].size += 1
            let error = #expect(throws: CoveError.self) { try fixture.images.register(registration) }
            #expect(error?.description.contains("layer 1") == true)
            #expect(try fixture.images.list().isEmpty)
        }
    }

    @Test func resolvesIDsPrefixesAndReferences() throws {
        try StoreFixture.with { fixture in
            let registration = try fixture.makeImage(seed: 6, references: ["busybox:1.36", "localhost:5000/x/y"])
            try fixture.images.register(registration)
            let id = registration.id
            for text in [
                id.description, id.hex, String(id.hex.prefix(12)), "sha256:" + id.hex.prefix(12),
                String(id.hex.prefix(40)),
                "busybox:1.36", "docker.io/library/busybox:1.36", "localhost:5000/x/y", "localhost:5000/x/y:latest",
            ] {
                #expect(try fixture.images.resolve(text).id == id, "\(text)")
            }
            for text in ["busybox", String(id.hex.prefix(11)), "sha256:" + String(repeating: "0", count: 64), "nope:1"]
            {
                let error = #expect(throws: CoveError.self, "\(text)") { try fixture.images.resolve(text) }
                #expect(error?.code == .notFound)
                #expect(error?.description == "No such image: \(text)")
            }
        }
    }

    @Test func anAmbiguousIDPrefixIsAnError() throws {
        try StoreFixture.with { fixture in
            let prefix = "0123456789ab"
            let ids = try ["1", "2"].map { last in
                try Digest(sha256Hex: prefix + String(repeating: "0", count: 51) + last)
            }
            try fixture.state.pool.write { db in
                for id in ids {
                    try ImageRecord(
                        id: id, manifestDigest: id, manifestMediaType: MediaType.ociManifest, created: nil, size: 0,
                        registeredAt: Date()
                    ).insert(db)
                }
            }
            let error = #expect(throws: CoveError.self) { try fixture.images.resolve(prefix) }
            #expect(error?.code == .invalidInput)
            #expect(error?.description.contains("ambiguous") == true)
            #expect(try fixture.images.resolve(String(ids[1].hex.prefix(64))).id == ids[1])
        }
    }

    @Test func tagMovesAReferenceAndUntagRemovesIt() throws {
        try StoreFixture.with { fixture in
            let first = try fixture.makeImage(seed: 7, references: ["app:1"])
            let second = try fixture.makeImage(seed: 8)
            try fixture.images.register(first)
            try fixture.images.register(second)
            #expect(try fixture.images.tag("app:1", as: ImageReference(parsing: "app:stable")) == first.id)
            #expect(try fixture.images.tag(second.id.shortHex, as: ImageReference(parsing: "app:1")) == second.id)
            #expect(try fixture.images.resolve("app:1").id == second.id)
            #expect(try fixture.images.resolve("app:stable").id == first.id)
            let digestTarget = try ImageReference(parsing: "app@\(first.id)")
            #expect(throws: CoveError.self) { try fixture.images.tag("app:1", as: digestTarget) }
            #expect(try fixture.images.untag(ImageReference(parsing: "app:stable")) == first.id)
            #expect(try fixture.images.image(first.id)?.references == [])
            let error = #expect(throws: CoveError.self) {
                try fixture.images.untag(ImageReference(parsing: "app:stable"))
            }
            #expect(error?.code == .notFound)
            #expect(throws: CoveError.self) { try fixture.images.tag("missing", as: ImageReference(parsing: "x")) }
        }
    }

    @Test func aTaggedImageRowCannotBeDeletedUnderneathItsTags() throws {
        try StoreFixture.with { fixture in
            let registration = try fixture.makeImage(seed: 9, references: ["app:1"])
            try fixture.images.register(registration)
            #expect(throws: DatabaseError.self) {
                try fixture.state.pool.write { db in _ = try ImageRecord.deleteOne(db, key: registration.id) }
            }
            #expect(try fixture.images.image(registration.id) != nil)
        }
    }

    @Test func garbageCollectionRemovesOnlyUnreferencedBlobs() throws {
        try StoreFixture.with { fixture in
            let kept = try fixture.makeImage(seed: 10, references: ["kept"])
            let dropped = try fixture.makeImage(seed: 11, references: ["dropped"])
            let orphan = try fixture.content.write(Data("written by a pull that died".utf8)).digest
            let inFlight = try fixture.content.write(Data("written by a pull in progress".utf8)).digest
            try fixture.images.register(kept)
            try fixture.images.register(dropped)
            _ = try fixture.images.delete("dropped")
            let droppedBlobs = Set([dropped.manifestDigest, dropped.id] + dropped.layers.map(\.blobDigest))
            let expected = (droppedBlobs.union([orphan])).sorted()
            #expect(try fixture.images.garbageCollect(protecting: [inFlight], dryRun: true) == expected)
            #expect(try fixture.images.garbageCollect(protecting: [inFlight]) == expected)
            let left = Set(try fixture.content.list())
            #expect(left == Set([kept.manifestDigest, kept.id] + kept.layers.map(\.blobDigest) + [inFlight]))
            #expect(try fixture.images.garbageCollect(protecting: [inFlight]).isEmpty)
        }
    }

    @Test func parsesImageTimestamps() {
        #expect(ImageRegistration.parseTimestamp("2024-01-02T03:04:05.123456789Z") != nil)
        #expect(ImageRegistration.parseTimestamp("2024-01-02T03:04:05Z") != nil)
        #expect(ImageRegistration.parseTimestamp("2024-01-02T03:04:05.5+02:00") != nil)
        #expect(ImageRegistration.parseTimestamp("yesterday") == nil)
    }
}
