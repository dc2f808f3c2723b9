import CoveCore
import Foundation

/// One blob being written into a `ContentStore`: bytes go to a file under `<root>/ingest` and
/// are hashed on the way; `commit()` verifies them and moves the file into place.
///
/// A writer that fails, is cancelled, or is dropped without a commit deletes its ingest file.
/// It belongs to one task at a time.
public final class BlobWriter {
    /// The bytes written so far.
    public private(set) var size: Int64 = 0

    private let store: ContentStore
    private let name: String
    private let file: URL
    private let expected: Digest?
    private let expectedSize: Int64?
    private let limit: Int64?
    private var handle: FileHandle?
    private var hasher = DigestHasher()
    /// Set once the ingest file is gone: moved into place or discarded.
    private var finished = false

    init(store: ContentStore, expected: Digest?, expectedSize: Int64?, limit: Int64?) throws(CoveError) {
        if let expectedSize, expectedSize < 0 {
            throw CoveError(.invalidInput, "invalid blob size \(expectedSize)")
        }
        self.store = store
        self.expected = expected
        self.expectedSize = expectedSize
        self.limit = limit
        name = UUID().uuidString.lowercased()
        file = store.ingestDirectory.appendingPathComponent(name, isDirectory: false)
        store.registerIngest(name)
        do {
            try Data().write(to: file, options: .withoutOverwriting)
            handle = try FileHandle(forWritingTo: file)
        } catch {
            discard()
            throw CoveError(.io, "cannot create the ingest file \(file.path)", cause: "\(error)")
        }
    }

    deinit {
        discard()
    }

    /// Appends bytes. Fails, and discards the blob, when they pass the expected size or the limit.
    public func write(_ bytes: some DataProtocol) throws(CoveError) {
        guard let handle else { throw closed() }
        let newSize = size + Int64(bytes.count)
        if let expectedSize, newSize > expectedSize {
            discard()
            throw CoveError(.invalidInput, "blob is larger than its expected size of \(expectedSize) bytes")
        }
        if let limit, newSize > limit {
            discard()
            throw CoveError(.invalidInput, "blob is larger than the limit of \(limit) bytes")
        }
        hasher.update(bytes)
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            discard()
            throw CoveError(.io, "cannot write the ingest file \(file.path)", cause: "\(error)")
        }
        size = newSize
    }

    /// Verifies the bytes, flushes them to disk and moves them into the store. When a blob with the
    /// same digest is already there, it is kept and this copy dropped. On any failure nothing is left.
    @discardableResult
    public func commit() throws(CoveError) -> StoredBlob {
        guard let handle else { throw closed() }
        if let expectedSize, size != expectedSize {
            discard()
            throw CoveError(.invalidInput, "blob size mismatch: expected \(expectedSize) bytes, got \(size)")
        }
        let digest = hasher.finalize()
        if let expected, digest != expected {
            discard()
            throw CoveError(.invalidInput, "blob digest mismatch: expected \(expected), got \(digest)")
        }
        do {
            try handle.synchronize()
            try handle.close()
            self.handle = nil
        } catch {
            discard()
            throw CoveError(.io, "cannot flush the ingest file \(file.path)", cause: "\(error)")
        }
        try moveIntoPlace(digest)
        finished = true
        store.unregisterIngest(name)
        return StoredBlob(digest: digest, size: size)
    }

    /// Abandons the blob and deletes its ingest file.
    public func cancel() { discard() }

    private func moveIntoPlace(_ digest: Digest) throws(CoveError) {
        let target = store.url(for: digest)
        let files = FileManager.default
        if files.fileExists(atPath: target.path) {
            discard()
            return
        }
        do {
            try files.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
            try files.moveItem(at: file, to: target)
        } catch {
            // Another writer may have put the same blob in place first: then it is done.
            let alreadyThere = files.fileExists(atPath: target.path)
            discard()
            if alreadyThere { return }
            throw CoveError(.io, "cannot move blob \(digest) into \(store.blobsDirectory.path)", cause: "\(error)")
        }
        try syncDirectory(store.blobsDirectory)
    }

    /// Flushes a directory's entries (the rename) to disk: fsync on a read-only handle to it.
    private func syncDirectory(_ directory: URL) throws(CoveError) {
        do {
            let handle = try FileHandle(forReadingFrom: directory)
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            throw CoveError(.io, "cannot flush the directory \(directory.path)", cause: "\(error)")
        }
    }

    private func closed() -> CoveError {
        CoveError(.internalError, "the blob writer is already committed, cancelled or failed")
    }

    /// Closes and deletes the ingest file, once.
    private func discard() {
        guard !finished else { return }
        finished = true
        if let handle {
            try? handle.close()
            self.handle = nil
        }
        try? FileManager.default.removeItem(at: file)
        store.unregisterIngest(name)
    }
}
