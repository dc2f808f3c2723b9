import CoveCore
import Foundation
import Synchronization

/// A blob's digest and size, as stored.
public struct StoredBlob: Hashable, Sendable {
    public var digest: Digest
    public var size: Int64

    public init(digest: Digest, size: Int64) {
        self.digest = digest
        self.size = size
    }
}

/// Content-addressed blob storage: each blob lives at `<root>/blobs/sha256/<hex>`, named by the
/// sha256 of its bytes.
///
/// Writes go through `<root>/ingest/<random>`: the bytes are hashed while they are written,
/// checked against the expected digest and size, flushed to disk, then renamed into place, so a
/// blob is either whole or absent. A failed or abandoned write leaves nothing behind; a crash can
/// leave an ingest file, which `removeStaleIngests()` deletes. Blob paths are built only from a
/// validated `Digest`, so no input can name a file outside the store.
///
/// Safe to use from many tasks at once; two writers of the same blob end with one good copy.
public final class ContentStore: Sendable {
    /// The store's directory.
    public let root: URL
    /// `<root>/blobs/sha256`.
    public let blobsDirectory: URL
    /// `<root>/ingest`.
    public let ingestDirectory: URL
    /// Ingest files of writers that are still open in this process.
    private let activeIngests = Mutex(Set<String>())

    /// Opens the store at `root`, creating its directories when needed.
    public init(root: URL) throws(CoveError) {
        self.root = root
        blobsDirectory = root.appendingPathComponent("blobs/sha256", isDirectory: true)
        ingestDirectory = root.appendingPathComponent("ingest", isDirectory: true)
        for directory in [blobsDirectory, ingestDirectory] {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw CoveError(.io, "cannot create the content store directory \(directory.path)", cause: "\(error)")
            }
        }
    }

    /// The file of a blob (which may not exist).
    public func url(for digest: Digest) -> URL {
        blobsDirectory.appendingPathComponent(digest.hex, isDirectory: false)
    }

    /// True when the blob is stored.
    public func contains(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: url(for: digest).path)
    }

    /// The size of a stored blob in bytes.
    public func size(of digest: Digest) throws(CoveError) -> Int64 {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url(for: digest).path)
        } catch {
            throw missingOrUnreadable(digest, error)
        }
        guard let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw CoveError(.io, "cannot read the size of blob \(digest)")
        }
        return size
    }

    /// The bytes of a stored blob; refuses blobs larger than `maximumSize` when one is given.
    public func read(_ digest: Digest, maximumSize: Int64? = nil) throws(CoveError) -> Data {
        if let maximumSize {
            let size = try size(of: digest)
            guard size <= maximumSize else {
                throw CoveError(
                    .invalidInput, "blob \(digest) is \(size) bytes, more than the \(maximumSize) allowed here")
            }
        }
        do {
            return try Data(contentsOf: url(for: digest))
        } catch {
            throw missingOrUnreadable(digest, error)
        }
    }

    /// A handle to read a stored blob from; the caller closes it.
    public func open(_ digest: Digest) throws(CoveError) -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: url(for: digest))
        } catch {
            throw missingOrUnreadable(digest, error)
        }
    }

    /// Reads a stored blob again and checks that its bytes still hash to its name.
    public func verify(_ digest: Digest) throws(CoveError) {
        let handle = try open(digest)
        defer { try? handle.close() }
        var hasher = DigestHasher()
        do {
            while let chunk = try handle.read(upToCount: ContentStore.chunkSize), !chunk.isEmpty {
                hasher.update(chunk)
            }
        } catch {
            throw CoveError(.io, "cannot read blob \(digest)", cause: "\(error)")
        }
        let actual = hasher.finalize()
        guard actual == digest else {
            throw CoveError(.io, "blob \(digest) is corrupt: its content hashes to \(actual)")
        }
    }

    /// Deletes a blob; false when it was not there.
    @discardableResult
    public func delete(_ digest: Digest) throws(CoveError) -> Bool {
        let path = url(for: digest).path
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return false }
            throw CoveError(.io, "cannot delete blob \(digest)", cause: "\(error)")
        }
        return true
    }

    /// The digests of all stored blobs, sorted. Files whose names are not digests are ignored.
    public func list() throws(CoveError) -> [Digest] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: blobsDirectory.path)
        } catch {
            throw CoveError(.io, "cannot list the content store \(blobsDirectory.path)", cause: "\(error)")
        }
        return names.compactMap { try? Digest(sha256Hex: $0) }.sorted()
    }

    /// Starts writing a blob. `expected` and `expectedSize`, when given, are checked at commit (the
    /// size also while writing); `limit` caps the size of a blob whose size is not known in advance.
    public func writer(
        expected: Digest? = nil, expectedSize: Int64? = nil, limit: Int64? = nil
    ) throws(CoveError) -> BlobWriter {
        try BlobWriter(store: self, expected: expected, expectedSize: expectedSize, limit: limit)
    }

    /// Stores `data` in one go.
    @discardableResult
    public func write(_ data: Data, expected: Digest? = nil, limit: Int64? = nil) throws(CoveError) -> StoredBlob {
        let writer = try writer(expected: expected, limit: limit)
        try writer.write(data)
        return try writer.commit()
    }

    /// Stores the contents of a file, streaming it.
    @discardableResult
    public func write(
        contentsOf file: URL, expected: Digest? = nil, expectedSize: Int64? = nil, limit: Int64? = nil
    ) throws(CoveError) -> StoredBlob {
        let input: FileHandle
        do {
            input = try FileHandle(forReadingFrom: file)
        } catch {
            throw CoveError(.io, "cannot open \(file.path)", cause: "\(error)")
        }
        defer { try? input.close() }
        let writer = try writer(expected: expected, expectedSize: expectedSize, limit: limit)
        while true {
            let chunk: Data
            do {
                chunk = try input.read(upToCount: ContentStore.chunkSize) ?? Data()
            } catch {
                writer.cancel()
                throw CoveError(.io, "cannot read \(file.path)", cause: "\(error)")
            }
            if chunk.isEmpty { break }
            try writer.write(chunk)
        }
        return try writer.commit()
    }

    /// Deletes ingest files that no open writer of this store owns: what a crash left behind.
    /// Returns how many were removed.
    @discardableResult
    public func removeStaleIngests() throws(CoveError) -> Int {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: ingestDirectory.path)
        } catch {
            throw CoveError(.io, "cannot list \(ingestDirectory.path)", cause: "\(error)")
        }
        let active = activeIngests.withLock { $0 }
        var removed = 0
        for name in names where !active.contains(name) {
            let path = ingestDirectory.appendingPathComponent(name).path
            do {
                try FileManager.default.removeItem(atPath: path)
                removed += 1
            } catch {
                if FileManager.default.fileExists(atPath: path) {
                    throw CoveError(.io, "cannot remove the stale ingest file \(path)", cause: "\(error)")
                }
            }
        }
        return removed
    }

    /// The size of the chunks files are read in.
    static let chunkSize = 1 << 20

    func registerIngest(_ name: String) { _ = activeIngests.withLock { $0.insert(name) } }

    func unregisterIngest(_ name: String) { _ = activeIngests.withLock { $0.remove(name) } }

    private func missingOrUnreadable(_ digest: Digest, _ error: any Error) -> CoveError {
        if !contains(digest) { return CoveError(.notFound, "blob \(digest) not found in the content store") }
        return CoveError(.io, "cannot read blob \(digest)", cause: "\(error)")
    }
}
