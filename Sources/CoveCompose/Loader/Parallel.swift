import CoveCore
import Dispatch
import Foundation
import Synchronization

/// Runs independent per-service work on every core. Results keep their input order, and
/// when several items fail, the error of the first failing item (in order) is the one
/// thrown, so output and messages are the same as a sequential run.
enum Parallel {
    /// Below this many items a sequential loop is faster than spreading the work.
    static let minimumItems = 64

    /// Asked once: `activeProcessorCount` reads the CPU set and cgroup limits every time.
    private static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// The non-throwing form.
    static func map<T: Sendable, U: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> U) -> [U] {
        let result: Result<[U], CoveError> = Result { () throws(CoveError) in
            try map(items) { (item: T) throws(CoveError) -> U in transform(item) }
        }
        return (try? result.get()) ?? []
    }

    static func map<T: Sendable, U: Sendable>(
        _ items: [T], _ transform: @escaping @Sendable (T) throws(CoveError) -> U
    ) throws(CoveError) -> [U] {
        guard cores > 1, items.count >= minimumItems else {
            var out: [U] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try transform(item)) }
            return out
        }
        let chunks = min(cores * 4, items.count)
        let size = (items.count + chunks - 1) / chunks
        let results = Mutex<[Int: Result<[U], CoveError>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * size)..<min(items.count, (chunk + 1) * size)
            var out: [U] = []
            out.reserveCapacity(range.count)
            let result: Result<[U], CoveError>
            do throws(CoveError) {
                for item in items[range] { out.append(try transform(item)) }
                result = .success(out)
            } catch {
                result = .failure(error)
            }
            results.withLock { $0[chunk] = result }
        }
        let collected = results.withLock { $0 }
        var out: [U] = []
        out.reserveCapacity(items.count)
        for chunk in 0..<chunks {
            switch collected[chunk] {
            case .success(let part): out.append(contentsOf: part)
            case .failure(let error): throw error
            case nil: continue
            }
        }
        return out
    }
}
