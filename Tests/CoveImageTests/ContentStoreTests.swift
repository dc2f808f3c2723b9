import CoveCore
import Foundation
import Testing

@testable import CoveImage

@Suite struct ContentStoreTests {
    /// A fresh store in its own temporary directory, removed after the body runs.
    static func withStore(_ body: (ContentStore) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("cove-content-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try body(try ContentStore(root: root))
    }

    static func ingestFiles(_ store: ContentStore) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: store.ingestDirectory.path)
    }

    static let hello = Data("hello, cove\n".utf8)

    @Test func knownDigests() {
        #expect(
            Digest.sha256(of: Data()).description
                == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Digest.sha256(of: Data("abc".utf8)).hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func roundTrip() throws {
        try Self.withStore { (store: ContentStore) throws in
            let stored = try store.write(Self.hello)
            #expect(stored.digest == Digest.sha256(of: Self.hello))
            #expect(stored.size == Int64(Self.hello.count))
            #expect(store.contains(stored.digest))
            #expect(try store.size(of: stored.digest) == stored.size)
            #expect(try store.read(stored.digest) == Self.hello)
            let handle = try store.open(stored.digest)
            #expect(try handle.readToEnd() == Self.hello)
            try handle.close()
            try store.verify(stored.digest)
            #expect(store.url(for: stored.digest).path.hasSuffix("/blobs/sha256/\(stored.digest.hex)"))
            #expect(try store.list() == [stored.digest])
            #expect(try Self.ingestFiles(store).isEmpty)
            #expect(try store.delete(stored.digest))
            #expect(!store.contains(stored.digest))
            #expect(try !store.delete(stored.digest))
            #expect(try store.list().isEmpty)
        }
    }

    @Test func streamingWriteInChunksWithExpectedDigestAndSize() throws {
        try Self.withStore { (store: ContentStore) throws in
            let content = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let expected = Digest.sha256(of: content)
            let writer = try store.writer(expected: expected, expectedSize: Int64(content.count))
            var offset = 0
            while offset < content.count {
                let end = min(offset + 65_536, content.count)
                try writer.write(content[offset..<end])
                offset = end
            }
            #expect(writer.size == Int64(content.count))
            let stored = try writer.commit()
            #expect(stored == StoredBlob(digest: expected, size: Int64(content.count)))
            #expect(try store.read(expected) == content)
            #expect(throws: CoveError.self) { try writer.write(Data([1])) }
        }
    }

    @Test func writeFromAFile() throws {
        try Self.withStore { (store: ContentStore) throws in
            let file = store.root.appendingPathComponent("source.bin")
            let content = Data(repeating: 0x5a, count: 3 * ContentStore.chunkSize + 17)
            try content.write(to: file)
            let stored = try store.write(contentsOf: file, expected: Digest.sha256(of: content))
            #expect(stored.size == Int64(content.count))
            #expect(try store.read(stored.digest, maximumSize: stored.size) == content)
            #expect(throws: CoveError.self) { try store.read(stored.digest, maximumSize: 10) }
        }
    }

    @Test func digestMismatchLeavesNothing() throws {
        try Self.withStore { (store: ContentStore) throws in
            let wrong = Digest.sha256(of: Data("something else".utf8))
            #expect {
                try store.write(Self.hello, expected: wrong)
            } throws: { error in
                (error as? CoveError)?.message.hasPrefix("blob digest mismatch: expected \(wrong), got sha256:") == true
            }
            #expect(try store.list().isEmpty)
            #expect(try Self.ingestFiles(store).isEmpty)
            #expect(!store.contains(wrong))
        }
    }

    @Test func sizeMismatchAndSizeLimitLeaveNothing() throws {
        try Self.withStore { (store: ContentStore) throws in
            let short = try store.writer(expectedSize: 100)
            try short.write(Self.hello)
            #expect(throws: CoveError.self) { try short.commit() }

            let long = try store.writer(expectedSize: 4)
            #expect {
                try long.write(Self.hello)
            } throws: { error in
                (error as? CoveError)?.message == "blob is larger than its expected size of 4 bytes"
            }

            #expect {
                try store.write(Data(count: 1025), limit: 1024)
            } throws: { error in
                (error as? CoveError)?.message == "blob is larger than the limit of 1024 bytes"
            }
            let limited = try store.writer(limit: 10)
            try limited.write(Data(count: 6))
            #expect(throws: CoveError.self) { try limited.write(Data(count: 6)) }
            #expect(throws: CoveError.self) { try limited.commit() }

            #expect(try store.write(Data(count: 1024), limit: 1024).size == 1024)
            #expect(try store.list().count == 1)
            #expect(try Self.ingestFiles(store).isEmpty)
        }
    }

    @Test func cancelledAndDroppedWritersLeaveNothing() throws {
        try Self.withStore { (store: ContentStore) throws in
            let cancelled = try store.writer()
            try cancelled.write(Self.hello)
            #expect(try Self.ingestFiles(store).count == 1)
            cancelled.cancel()
            #expect(try Self.ingestFiles(store).isEmpty)
            do {
                let dropped = try store.writer()
                try dropped.write(Self.hello)
            }
            #expect(try Self.ingestFiles(store).isEmpty)
            #expect(try store.list().isEmpty)
        }
    }

    @Test func existingBlobIsKept() throws {
        try Self.withStore { (store: ContentStore) throws in
            let first = try store.write(Self.hello)
            let before = try FileManager.default.attributesOfItem(atPath: store.url(for: first.digest).path)
            let second = try store.write(Self.hello, expected: first.digest)
            #expect(second == first)
            let after = try FileManager.default.attributesOfItem(atPath: store.url(for: first.digest).path)
            #expect((before[.systemFileNumber] as? NSNumber) == (after[.systemFileNumber] as? NSNumber))
            #expect(try store.list() == [first.digest])
            #expect(try Self.ingestFiles(store).isEmpty)
        }
    }

    @Test func concurrentWritersOfTheSameBlobEndWithOneGoodBlob() async throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("cove-content-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try ContentStore(root: root)
        let content = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        let expected = Digest.sha256(of: content)
        let results = try await withThrowingTaskGroup(of: StoredBlob.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let writer = try store.writer(expected: expected, expectedSize: Int64(content.count))
                    var offset = 0
                    while offset < content.count {
                        let end = min(offset + 8_192, content.count)
                        try writer.write(content[offset..<end])
                        offset = end
                        await Task.yield()
                    }
                    return try writer.commit()
                }
            }
            var all: [StoredBlob] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 8)
        #expect(Set(results) == [StoredBlob(digest: expected, size: Int64(content.count))])
        #expect(try store.list() == [expected])
        #expect(try store.read(expected) == content)
        try store.verify(expected)
        #expect(try Self.ingestFiles(store).isEmpty)
    }

    @Test func staleIngestsAreRemovedButOpenWritersAreKept() throws {
        try Self.withStore { (store: ContentStore) throws in
            for name in ["crashed-1", "3f2a9c4e-0000-4000-8000-000000000000"] {
                try Data("partial".utf8).write(to: store.ingestDirectory.appendingPathComponent(name))
            }
            let open = try store.writer()
            try open.write(Self.hello)
            #expect(try Self.ingestFiles(store).count == 3)
            #expect(try store.removeStaleIngests() == 2)
            #expect(try Self.ingestFiles(store).count == 1)
            let stored = try open.commit()
            #expect(try store.read(stored.digest) == Self.hello)
            #expect(try store.removeStaleIngests() == 0)
            #expect(try Self.ingestFiles(store).isEmpty)
        }
    }

    @Test func listIgnoresFilesThatAreNotDigests() throws {
        try Self.withStore { (store: ContentStore) throws in
            let stored = try store.write(Self.hello)
            try Data().write(to: store.blobsDirectory.appendingPathComponent("README"))
            try Data().write(to: store.blobsDirectory.appendingPathComponent(String(repeating: "A", count: 64)))
            #expect(try store.list() == [stored.digest])
        }
    }

    @Test func missingBlobsAreNotFound() throws {
        try Self.withStore { (store: ContentStore) throws in
            let absent = Digest.sha256(of: Data("absent".utf8))
            let isNotFound: @Sendable (any Error) -> Bool = { ($0 as? CoveError)?.code == .notFound }
            #expect(performing: { try store.read(absent) }, throws: isNotFound)
            #expect(performing: { try store.size(of: absent) }, throws: isNotFound)
            #expect(performing: { try store.open(absent) }, throws: isNotFound)
            #expect(performing: { try store.verify(absent) }, throws: isNotFound)
        }
    }

    @Test func corruptBlobFailsVerification() throws {
        try Self.withStore { (store: ContentStore) throws in
            let stored = try store.write(Self.hello)
            let path = store.url(for: stored.digest).path
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            try Data("tampered".utf8).write(to: store.url(for: stored.digest))
            #expect {
                try store.verify(stored.digest)
            } throws: { error in
                (error as? CoveError)?.message.contains("is corrupt") == true
            }
        }
    }

    /// A blob path is built from a `Digest` only, and no crafted string becomes one.
    @Test(arguments: [
        "sha256:../../../../etc/passwd",
        "sha256:../ingest/x",
        "sha256:" + String(repeating: "a", count: 61) + "/..",
        "sha256:" + String(repeating: ".", count: 64),
        "sha256:" + String(repeating: "a", count: 63) + "\u{0}",
        "sha256/../../" + String(repeating: "a", count: 64),
        "../sha256:" + String(repeating: "a", count: 64),
    ])
    func pathTraversalThroughADigestIsImpossible(_ crafted: String) throws {
        #expect(throws: CoveError.self) { try Digest(parsing: crafted) }
        let json = Data(#"{"mediaType": "x", "digest": \#(String(reflecting: crafted)), "size": 1}"#.utf8)
        #expect(throws: CoveError.self) { try OCIJSON.decode(Descriptor.self, from: json, document: "descriptor") }
    }

    @Test func blobFilesAreReadOnly() throws {
        try Self.withStore { (store: ContentStore) throws in
            let stored = try store.write(Self.hello)
            let attributes = try FileManager.default.attributesOfItem(atPath: store.url(for: stored.digest).path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o444)
        }
    }
}
