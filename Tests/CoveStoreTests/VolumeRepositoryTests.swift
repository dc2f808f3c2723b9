import CoveCore
import Foundation
import Testing

@testable import CoveStore

@Suite struct VolumeRepositoryTests {
    @Test func aVolumeInUseIsRemovedOnlyByForceAndItsMountsGoWithItsContainer() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 1, references: ["busybox"]))
            let containers = ContainerRepository(state: fixture.state)
            let volumes = VolumeRepository(state: fixture.state)
            let id = String(repeating: "c", count: 64)
            try containers.create(
                ContainerRecord(
                    id: id, name: "user", imageID: image.id, imageName: "busybox", config: "{}", createdAt: Date()))
            let first = try volumes.create(
                VolumeRecord(name: "data", labels: ["a": "1"], createdAt: "2026-01-01T00:00:00Z", mountpoint: "/v"))
            #expect(first.created)
            let again = try volumes.create(VolumeRecord(name: "data", createdAt: "later", mountpoint: "/other"))
            #expect(!again.created && again.record.labels == ["a": "1"] && again.record.mountpoint == "/v")
            try volumes.recordMount(VolumeMountRecord(containerID: id, destination: "/data", volumeName: "data"))
            #expect(try volumes.mounts(of: id) == ["/data": "data"])
            #expect(try volumes.usersByVolume() == ["data": [id]])
            #expect(try volumes.mountsByContainer() == [id: ["/data": "data"]])
            let busy = #expect(throws: CoveError.self) { try volumes.delete("data", force: false) }
            #expect(busy?.code == .conflict)
            #expect(busy?.message == "remove data: volume is in use - [\(id)]")
            try containers.delete(id: id)
            #expect(try volumes.users(of: "data").isEmpty)
            #expect(try volumes.delete("data", force: false))
            let missing = #expect(throws: CoveError.self) { try volumes.resolve("data") }
            #expect(missing?.code == .notFound && missing?.message == "get data: no such volume")
        }
    }

    @Test func forceRemovesAVolumeInUseWithItsMountRows() throws {
        try StoreFixture.with { fixture in
            let image = try fixture.images.register(try fixture.makeImage(seed: 2))
            let containers = ContainerRepository(state: fixture.state)
            let volumes = VolumeRepository(state: fixture.state)
            let id = String(repeating: "d", count: 64)
            try containers.create(
                ContainerRecord(
                    id: id, name: "user", imageID: image.id, imageName: "x", config: "{}", createdAt: Date()))
            _ = try volumes.create(VolumeRecord(name: "v1", createdAt: "t", mountpoint: "/v1"))
            try volumes.recordMount(VolumeMountRecord(containerID: id, destination: "/d", volumeName: "v1"))
            #expect(try volumes.delete("v1", force: true))
            #expect(try volumes.mounts(of: id).isEmpty)
            #expect(try fixture.state.integrityProblems().isEmpty)
        }
    }
}
