import CoveCore
import Foundation

extension EngineClient {
    /// Sends `method` to the versioned `path` and hands the answer's body to `onBytes` piece by
    /// piece as it arrives (container logs, which may follow for as long as the container runs).
    ///
    /// - Throws: `CoveError` as `send` does for a transport failure or a 4xx/5xx answer.
    public func streamBytes(
        method: String, path: String, query: [(name: String, value: String)] = [],
        onBytes: ([UInt8]) -> Void
    ) async throws(CoveError) {
        try await streamingExchange(method: method, path: path, query: query, idle: nil) { _, body in
            while let buffer = try await body.next() { onBytes(Array(buffer.readableBytesView)) }
        }
    }
}
