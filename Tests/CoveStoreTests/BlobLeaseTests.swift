import CoveCore
import CoveImage
import Foundation
import Testing

@testable import CoveStore

/// Garbage collection keeps the blobs of operations in progress.
@Suite struct BlobLeaseTests {
    @Test func aLeasedBlobSurvivesCollectionUntilTheLeaseEnds() throws {
        try StoreFixture.with { fixture in
            let lease = fixture.images.leases.begin()
            let blob = try lease.write(Data("in flight".utf8), in: fixture.content)
            #expect(try fixture.images.garbageCollect().isEmpty)
            #expect(fixture.content.contains(blob.digest))
            lease.end()
            #expect(try fixture.images.garbageCollect() == [blob.digest])
            #expect(!fixture.content.contains(blob.digest))
        }
    }

    @Test func aHeldBlobThatWasAlreadyStoredIsKept() throws {
        try StoreFixture.with { fixture in
            let blob = try fixture.content.write(Data("found in the store".utf8))
            let lease = fixture.images.leases.begin()
            lease.hold(blob.digest)
            #expect(try fixture.images.garbageCollect().isEmpty)
            lease.end()
            #expect(try fixture.images.garbageCollect() == [blob.digest])
        }
    }

    @Test func aLeaseEndsWhenReleased() throws {
        try StoreFixture.with { fixture in
            do {
                let lease = fixture.images.leases.begin()
                _ = try lease.write(Data("dropped".utf8), in: fixture.content)
                #expect(fixture.images.leases.count == 1)
            }
            #expect(fixture.images.leases.count == 0)
            #expect(try fixture.images.garbageCollect().count == 1)
        }
    }

    /// Imports race collections: every import registers, none loses a blob to a collection.
    @Test func concurrentImportsAndCollectionsNeverLoseABlob() async throws {
        let fixture = try StoreFixture()
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let images = fixture.images
        let content = fixture.content
        try await withThrowingTaskGroup(of: Void.self) { group in
            for seed in 0..<40 {
                group.addTask {
                    let lease = images.leases.begin()
                    defer { lease.end() }
                    let layer = try lease.write(Data("layer of \(seed)".utf8), in: content)
                    let config = ImageConfig(
                        architecture: "amd64", os: "linux", config: ContainerConfig(labels: ["seed": "\(seed)"]),
                        rootfs: RootFS(diffIDs: [layer.digest]))
                    let configBlob = try lease.write(try OCIJSON.encode(config), in: content)
                    let manifest = ImageManifest(
                        config: Descriptor(
                            mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
                        layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size)])
                    let manifestBlob = try lease.write(try OCIJSON.encode(manifest), in: content)
                    try images.register(
                        try ImageRegistration(
                            manifest: manifest, manifestDigest: manifestBlob.digest, config: config,
                            references: [try ImageReference(parsing: "seed:\(seed)")]))
                }
            }
            group.addTask {
                for _ in 0..<40 { try images.garbageCollect() }
            }
            try await group.waitForAll()
        }
        #expect(try images.list().count == 40)
        #expect(try images.garbageCollect().isEmpty)
    }
}
