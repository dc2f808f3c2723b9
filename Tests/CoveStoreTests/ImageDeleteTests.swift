import CoveCore
import CoveImage
import Foundation
import Testing

@testable import CoveStore

/// `docker image rm` semantics.
@Suite struct ImageDeleteTests {
    @Test func deletingByItsOnlyTagUntagsThenDeletes() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.makeImage(seed: 1, references: ["busybox"])
            try fixture.images.register(image)
            #expect(try fixture.images.delete("busybox") == [.untagged("busybox:latest"), .deleted(image.id)])
            #expect(try fixture.images.list().isEmpty)
            #expect(throws: CoveError.self) { try fixture.images.resolve(image.id.description) }
        }
    }

    @Test func deletingOneOfSeveralTagsOnlyUntags() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.makeImage(seed: 2, references: ["app:1", "app:2"])
            try fixture.images.register(image)
            #expect(try fixture.images.delete("app:1") == [.untagged("app:1")])
            #expect(try fixture.images.resolve("app:2").references == ["docker.io/library/app:2"])
        }
    }

    @Test func deletingByIDRefusesWhileSeveralRepositoriesNameItUnlessForced() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.makeImage(seed: 3, references: ["one:1", "two:1"])
            try fixture.images.register(image)
            let error = #expect(throws: CoveError.self) { try fixture.images.delete(image.id.shortHex) }
            #expect(error?.code == .conflict)
            #expect(
                error?.message
                    == "conflict: unable to delete \(image.id.shortHex) (must be forced) - "
                    + "image is referenced in multiple repositories")
            #expect(try fixture.images.image(image.id)?.references.count == 2)
            #expect(
                try fixture.images.delete(image.id.shortHex, force: true)
                    == [.untagged("one:1"), .untagged("two:1"), .deleted(image.id)])
            #expect(try fixture.images.list().isEmpty)
        }
    }

    @Test func deletingByIDTakesASingleTagAndItsDigestReferencesAlong() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.makeImage(seed: 4)
            let digested = "app@\(image.manifestDigest)"
            var registration = image
            registration.references = [try ImageReference(parsing: "app:1"), try ImageReference(parsing: digested)]
            try fixture.images.register(registration)
            #expect(try fixture.images.resolve(digested).id == image.id)
            #expect(try fixture.images.resolve(digested).repoDigests == [digested])
            #expect(
                try fixture.images.delete(image.id.description)
                    == [.untagged("app:1"), .untagged(digested), .deleted(image.id)])
        }
    }

    @Test func removingARepositorysLastTagRemovesItsDigestReferences() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.makeImage(seed: 5)
            var registration = image
            registration.references = try ["app:1", "app@\(image.manifestDigest)", "other:1"].map {
                try ImageReference(parsing: $0)
            }
            try fixture.images.register(registration)
            #expect(
                try fixture.images.delete("app:1") == [.untagged("app:1"), .untagged("app@\(image.manifestDigest)")])
            #expect(try fixture.images.image(image.id)?.references == ["docker.io/library/other:1"])
        }
    }

    @Test func anUntaggedImageIsDeletedByID() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.makeImage(seed: 6)
            try fixture.images.register(image)
            #expect(try fixture.images.delete(String(image.id.hex.prefix(12))) == [.deleted(image.id)])
            let error = #expect(throws: CoveError.self) { try fixture.images.delete("nothing") }
            #expect(error?.code == .notFound)
        }
    }

    @Test func encodesAsDockerDoes() throws {
        let id = try Digest(sha256Hex: String(repeating: "a", count: 64))
        let items: [ImageDeleteItem] = [.untagged("busybox:latest"), .deleted(id)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(items), as: UTF8.self)
        #expect(json == #"[{"Untagged":"busybox:latest"},{"Deleted":"\#(id)"}]"#)
        #expect(try JSONDecoder().decode([ImageDeleteItem].self, from: Data(json.utf8)) == items)
    }
}
