import CoveCore
import CoveHTTP
import Foundation
import NIOCore
import NIOHTTP1

extension EngineClient {
    /// Sends `GET` to the versioned `path` and writes the answer's body to `output` as it arrives,
    /// never holding it whole in memory (`docker save`). Returns the number of bytes written.
    ///
    /// - Throws: `CoveError` as `send` does for a transport failure or a 4xx/5xx answer, and when the
    ///   body ends before its end (the engine cut it short) or cannot be written.
    public func download(
        path: String, query: [(name: String, value: String)] = [], to output: FileHandle
    ) async throws(CoveError) -> Int64 {
        guard path.hasPrefix("/") else { throw CoveError(.internalError, "API path \(path) does not start with /") }
        let target = "/v\(apiVersion)" + path + Self.queryString(query)
        let request = "GET \(target)"
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: target,
            headers: HTTPHeaders([("Host", "cove"), ("User-Agent", userAgent)]))
        do {
            return try await HTTPConnection.exchange(
                .unix(path: host.socketPath), head: head, body: .none, limits: .init(idle: .seconds(300))
            ) { responseHead, body in
                try await Self.failOnErrorStatus(responseHead, &body, request: request)
                var written: Int64 = 0
                while let buffer = try await body.next() {
                    do {
                        try output.write(contentsOf: Array(buffer.readableBytesView))
                    } catch {
                        throw HTTPClientFailure.transport(
                            CoveError(.io, "cannot write the answer to \(request)", cause: "\(error)"))
                    }
                    written += Int64(buffer.readableBytes)
                }
                return written
            }
        } catch {
            if case .transport(let underlying) = error, let coveError = underlying as? CoveError { throw coveError }
            throw transportError(error, request: request, timeout: nil)
        }
    }
}
