import CoveCore
import CoveImage
import Foundation
import Synchronization

/// The blobs that operations in progress (an import, a load, a pull) have written but not yet
/// registered in an image: `ImageRepository.garbageCollect` never removes them.
///
/// A blob enters its lease in the same critical section that makes it visible in the content
/// store (`BlobLease.commit`), and a collection lists the store and deletes inside that critical
/// section too, so no collection can see a new blob without its lease. Leases live in memory:
/// after a crash, the blobs of an operation that never registered its image are garbage anyway.
public final class BlobLeases: Sendable {
    private struct State {
        var next = 0
        var leases: [Int: Set<Digest>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// A new, empty lease; it ends when `end()` is called or when it is released.
    public func begin() -> BlobLease {
        let id = state.withLock { state in
            state.next += 1
            state.leases[state.next] = []
            return state.next
        }
        return BlobLease(leases: self, id: id)
    }

    /// Runs `body` with the set of leased blobs, while no lease can take a new blob.
    func withLeasedBlobs<T>(_ body: (Set<Digest>) throws(CoveError) -> T) throws(CoveError) -> T {
        let result: Result<T, CoveError> = state.withLock { state in
            let leased = state.leases.values.reduce(into: Set<Digest>()) { $0.formUnion($1) }
            do throws(CoveError) {
                return .success(try body(leased))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The number of leases in progress.
    public var count: Int { state.withLock { $0.leases.count } }

    fileprivate func commit(_ writer: BlobWriter, into id: Int) throws(CoveError) -> StoredBlob {
        let result: Result<StoredBlob, CoveError> = state.withLock { state in
            do throws(CoveError) {
                let blob = try writer.commit()
                state.leases[id, default: []].insert(blob.digest)
                return .success(blob)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    fileprivate func add(_ digest: Digest, to id: Int) {
        state.withLock { _ = $0.leases[id]?.insert(digest) }
    }

    fileprivate func end(_ id: Int) {
        state.withLock { _ = $0.leases.removeValue(forKey: id) }
    }
}

/// One operation's hold on the blobs it writes; `end()` it once its image is registered (or it failed).
public final class BlobLease: Sendable {
    private let leases: BlobLeases
    private let id: Int

    fileprivate init(leases: BlobLeases, id: Int) {
        self.leases = leases
        self.id = id
    }

    deinit { leases.end(id) }

    /// Commits `writer`'s blob and holds it.
    public func commit(_ writer: BlobWriter) throws(CoveError) -> StoredBlob {
        try leases.commit(writer, into: id)
    }

    /// Writes `data` as a blob and holds it.
    public func write(_ data: Data, in content: ContentStore) throws(CoveError) -> StoredBlob {
        let writer = try content.writer()
        do throws(CoveError) {
            try writer.write(data)
        } catch {
            writer.cancel()
            throw error
        }
        return try commit(writer)
    }

    /// Holds a blob that is already stored (one the operation found and will reference). Call it
    /// before checking that the blob exists, so a collection cannot remove it after the check.
    public func hold(_ digest: Digest) {
        leases.add(digest, to: id)
    }

    /// Ends the lease: its blobs are collectable again unless an image references them.
    public func end() {
        leases.end(id)
    }
}
