import CoveCore
import Foundation

extension EngineClient {
    /// Sends `GET` to the versioned `path` and writes the answer's body to `output` as it arrives,
    /// never holding it whole in memory (`docker save`). Returns the number of bytes written.
    ///
    /// - Throws: `CoveError` as `send` does for a transport failure or a 4xx/5xx answer, and when the
    ///   body ends before its end (the engine cut it short) or cannot be written.
    public func download(
        path: String, query: [(name: String, value: String)] = [], to output: FileHandle
    ) async throws(CoveError) -> Int64 {
        try await streamingExchange(method: "GET", path: path, query: query, idle: .seconds(300)) { request, body in
            var written: Int64 = 0
            while let buffer = try await body.next() {
                do {
                    try output.write(contentsOf: Array(buffer.readableBytesView))
                } catch {
                    throw CoveError(.io, "cannot write the answer to \(request)", cause: "\(error)")
                }
                written += Int64(buffer.readableBytes)
            }
            return written
        }
    }
}
