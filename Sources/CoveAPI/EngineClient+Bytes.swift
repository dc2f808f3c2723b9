import CoveCore
import CoveHTTP
import Foundation
import NIOCore
import NIOHTTP1

extension EngineClient {
    /// Sends `method` to the versioned `path` and hands the answer's body to `onBytes` piece by
    /// piece as it arrives (container logs, which may follow for as long as the container runs).
    ///
    /// - Throws: `CoveError` as `send` does for a transport failure or a 4xx/5xx answer.
    public func streamBytes(
        method: String, path: String, query: [(name: String, value: String)] = [],
        onBytes: ([UInt8]) -> Void
    ) async throws(CoveError) {
        guard path.hasPrefix("/") else { throw CoveError(.internalError, "API path \(path) does not start with /") }
        let target = "/v\(apiVersion)" + path + Self.queryString(query)
        let request = "\(method) \(target)"
        let headers = HTTPHeaders([("Host", "cove"), ("User-Agent", userAgent), ("Content-Length", "0")])
        let head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: method), uri: target, headers: headers)
        do {
            try await HTTPConnection.exchange(.unix(path: host.socketPath), head: head, body: .none, limits: .init()) {
                responseHead, body in
                let status = Int(responseHead.status.code)
                guard status < 400 else {
                    let bytes = try await body.collect(upTo: HTTPClientConnection.maximumBodySize)
                    let response = EngineResponse(
                        status: status, headers: responseHead.headers.map { .init(name: $0.name, value: $0.value) },
                        body: bytes)
                    throw HTTPClientFailure.transport(Self.error(for: response, request: request))
                }
                while let buffer = try await body.next() { onBytes(Array(buffer.readableBytesView)) }
            }
        } catch {
            if case .transport(let underlying) = error, let coveError = underlying as? CoveError { throw coveError }
            throw transportError(error, request: request, timeout: nil)
        }
    }
}
