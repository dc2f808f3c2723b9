import CoveCore
import CoveHTTP
import Foundation
import NIOCore
import NIOHTTP1

extension EngineClient {
    /// The longest progress line accepted.
    static let maximumLineLength = 1 << 20

    /// Sends `method` to the versioned `path` and hands each line of the JSON progress stream that
    /// answers it (pull, push) to `onMessage` as it arrives. `headers` are added to the request
    /// (`X-Registry-Auth`).
    ///
    /// - Throws: `CoveError` as `send` does for a transport failure or a 4xx/5xx answer, and for a line
    ///   that is not a progress message. A failure reported inside the stream is passed to
    ///   `onMessage` like any line; the caller decides what it means.
    public func stream(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers extra: [(String, String)] = [],
        onMessage: (ProgressMessage) -> Void
    ) async throws(CoveError) {
        try await streamingExchange(
            method: method, path: path, query: query, headers: extra, idle: .seconds(300)
        ) { request, body in
            var pending: [UInt8] = []
            while let buffer = try await body.next() {
                pending += buffer.readableBytesView
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    try Self.deliver(pending[..<newline], request: request, to: onMessage)
                    pending.removeSubrange(...newline)
                }
                guard pending.count <= Self.maximumLineLength else {
                    throw CoveError(.internalError, "the engine's answer to \(request) has a line too long")
                }
            }
            try Self.deliver(pending[...], request: request, to: onMessage)
        }
    }

    /// Sends a request without a body to the versioned `path` and hands the answer's body, as it
    /// arrives, to `consume` (with the request's text for messages). A 4xx/5xx answer throws the
    /// engine's error; `idle` bounds the silence between two pieces of the answer.
    func streamingExchange<Result: Sendable>(
        method: String, path: String, query: [(name: String, value: String)], headers extra: [(String, String)] = [],
        idle: TimeAmount?, consume: (String, inout HTTPResponseBody) async throws -> Result
    ) async throws(CoveError) -> Result {
        guard path.hasPrefix("/") else { throw CoveError(.internalError, "API path \(path) does not start with /") }
        let target = "/v\(apiVersion)" + path + Self.queryString(query)
        let request = "\(method) \(target)"
        var headers = HTTPHeaders([("Host", "cove"), ("User-Agent", userAgent), ("Content-Length", "0")])
        for (name, value) in extra { headers.add(name: name, value: value) }
        let head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: method), uri: target, headers: headers)
        do {
            return try await HTTPConnection.exchange(
                .unix(path: host.socketPath), head: head, body: .none, limits: .init(idle: idle)
            ) { responseHead, body in
                try await Self.failOnErrorStatus(responseHead, &body, request: request)
                return try await consume(request, &body)
            }
        } catch {
            if case .transport(let underlying) = error, let coveError = underlying as? CoveError { throw coveError }
            throw transportError(error, request: request, timeout: nil)
        }
    }

    private static func deliver(
        _ line: ArraySlice<UInt8>, request: String, to onMessage: (ProgressMessage) -> Void
    ) throws(CoveError) {
        guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { return }
        guard let message = try? JSONDecoder().decode(ProgressMessage.self, from: Data(line)) else {
            throw CoveError(.internalError, "the engine's answer to \(request) is not a JSON progress stream")
        }
        onMessage(message)
    }
}

extension EngineClient {
    /// Throws the engine's error (as `HTTPClientFailure.transport`) when `head` is a 4xx or 5xx
    /// answer, reading its JSON body; does nothing otherwise.
    static func failOnErrorStatus(
        _ head: HTTPResponseHead, _ body: inout HTTPResponseBody, request: String
    ) async throws {
        let status = Int(head.status.code)
        guard status >= 400 else { return }
        let bytes = try await body.collect(upTo: HTTPClientConnection.maximumBodySize)
        let response = EngineResponse(
            status: status, headers: head.headers.map { .init(name: $0.name, value: $0.value) }, body: bytes)
        throw HTTPClientFailure.transport(error(for: response, request: request))
    }
}
