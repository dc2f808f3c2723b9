import CoveCore
import Foundation
import Testing

@testable import CoveStore

@Suite struct ContainerRepositoryTests {
    static func id(_ n: Int) -> String {
        String(repeating: String(n % 10), count: 4) + String(repeating: "a", count: 60)
    }

    func record(_ n: Int, name: String, image: Digest, at seconds: Double = 0) -> ContainerRecord {
        ContainerRecord(
            id: Self.id(n), name: name, imageID: image, imageName: "busybox", config: "{}",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000 + seconds))
    }

    @Test func createsListsAndResolvesByIdPrefixAndName() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 1, references: ["busybox"]))
            let containers = ContainerRepository(state: fixture.state)
            try containers.create(record(1, name: "first", image: image.id, at: 1))
            try containers.create(record(2, name: "second", image: image.id, at: 2))
            #expect(try containers.list().map(\.name) == ["second", "first"])
            #expect(try containers.resolve("first").id == Self.id(1))
            #expect(try containers.resolve("/second").id == Self.id(2))
            #expect(try containers.resolve(Self.id(2)).name == "second")
            #expect(try containers.resolve("1111").name == "first")
            #expect(try containers.users(of: image.id).map(\.name) == ["first", "second"])
            let missing = #expect(throws: CoveError.self) { try containers.resolve("nothing") }
            #expect(missing?.code == .notFound)
            #expect(missing?.message == "No such container: nothing")
        }
    }

    @Test func anAmbiguousPrefixIsRefused() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 1))
            let containers = ContainerRepository(state: fixture.state)
            var a = record(1, name: "aa", image: image.id)
            a.id = "ab" + String(repeating: "0", count: 62)
            var b = record(2, name: "bb", image: image.id)
            b.id = "ab" + String(repeating: "1", count: 62)
            try containers.create(a)
            try containers.create(b)
            let error = #expect(throws: CoveError.self) { try containers.resolve("ab") }
            #expect(error?.code == .invalidInput)
        }
    }

    @Test func aTakenNameIsDockersConflict() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 1))
            let containers = ContainerRepository(state: fixture.state)
            try containers.create(record(1, name: "web", image: image.id))
            let error = #expect(throws: CoveError.self) {
                try containers.create(record(2, name: "web", image: image.id))
            }
            #expect(error?.code == .conflict)
            #expect(
                error?.message
                    == "Conflict. The container name \"/web\" is already in use by container \"\(Self.id(1))\". "
                    + "You have to remove (or rename) that container to be able to reuse that name.")
            #expect(try containers.list().count == 1)
            let bad = #expect(throws: CoveError.self) { try containers.create(record(3, name: "-x", image: image.id)) }
            #expect(bad?.code == .invalidInput)
        }
    }

    @Test func updatesRenamesAndDeletes() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 1))
            let containers = ContainerRepository(state: fixture.state)
            try containers.create(record(1, name: "one", image: image.id))
            try containers.create(record(2, name: "two", image: image.id))
            try containers.update(Self.id(1)) { record in
                record.status = "exited"
                record.exitCode = 3
            }
            let updated = try containers.resolve("one")
            #expect(updated.status == "exited" && updated.exitCode == 3)
            try containers.rename("one", to: "uno")
            #expect(try containers.resolve("uno").id == Self.id(1))
            let taken = #expect(throws: CoveError.self) { try containers.rename("uno", to: "two") }
            #expect(taken?.code == .conflict)
            #expect(try containers.delete(id: Self.id(1)))
            #expect(try !containers.delete(id: Self.id(1)))
            #expect(try containers.list().map(\.name) == ["two"])
        }
    }

    @Test func anImageInUseIsNotRemovedOrPrunedWithoutForce() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 1, references: ["busybox"]))
            let containers = ContainerRepository(state: fixture.state)
            try containers.create(record(1, name: "user", image: image.id))
            let refused = #expect(throws: CoveError.self) { try fixture.images.delete("busybox") }
            #expect(refused?.code == .conflict)
            #expect(
                refused?.message
                    == "conflict: unable to remove repository reference \"busybox\" (must force) - container "
                    + "\(Self.id(1).prefix(12)) is using its referenced image \(image.id.shortHex)")
            #expect(try fixture.images.resolve("busybox").id == image.id)
            #expect(try fixture.images.prune(all: true).isEmpty)
            let forced = try fixture.images.delete("busybox", force: true)
            #expect(forced == [.untagged("busybox:latest")])
            #expect(try fixture.images.image(image.id) != nil)
            try containers.delete(id: Self.id(1))
            #expect(try fixture.images.prune(all: false) == [.deleted(image.id)])
        }
    }
}
