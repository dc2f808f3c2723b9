import CoveCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client of the Docker Engine API on a UNIX socket: a Cove daemon or a real Docker Engine.
///
/// Each request opens its own HTTP/1.1 connection. Paths are sent with the API version prefix
/// (`/v1.43/version`), except `/_ping`. Every failure is a `CoveError`: a transport failure names
/// the host, and an error answer carries the engine's `{"message": …}` and the HTTP status.
public struct EngineClient: Sendable {
    /// The engine this client talks to.
    public let host: EngineHost
    /// The API version put in front of every path.
    public let apiVersion: APIVersion
    /// Sent as `User-Agent`.
    public let userAgent: String
    private let group: any EventLoopGroup

    public init(host: EngineHost, apiVersion: APIVersion = .current, userAgent: String = "Cove-Client") {
        self.host = host
        self.apiVersion = apiVersion
        self.userAgent = userAgent
        group = MultiThreadedEventLoopGroup.singleton
    }

    /// `GET /_ping`: whether the engine answers with a success status.
    ///
    /// - Parameter timeout: how long to wait for the whole answer; `nil` waits as long as it takes.
    /// - Returns: `true` for a 2xx answer, `false` for any other status.
    /// - Throws: `CoveError` when nothing answers on the socket or the answer does not complete.
    public func ping(timeout: Duration? = nil) async throws(CoveError) -> Bool {
        try await exchange(method: .GET, target: "/_ping", body: nil, timeout: timeout).isSuccess
    }

    /// `GET /version`.
    public func version() async throws(CoveError) -> SystemVersion {
        try decode(SystemVersion.self, try await send(method: "GET", path: "/version"), what: "GET /version")
    }

    /// `GET /info`.
    public func info() async throws(CoveError) -> SystemInfo {
        try decode(SystemInfo.self, try await send(method: "GET", path: "/info"), what: "GET /info")
    }

    /// Sends `method` to the versioned `path` (which starts with `/`) with `query` parameters (percent-encoded,
    /// in order) and an optional JSON `body`.
    ///
    /// - Returns: the answer when its status is below 400.
    /// - Throws: `CoveError` for a transport failure, or for a 4xx/5xx answer: the engine's message, with
    ///   code `.notFound` for 404, `.conflict` for 409, `.invalidInput` for other 4xx and `.internalError` for 5xx, and the
    ///   status and request in the cause.
    public func send(
        method: String, path: String, query: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) async throws(CoveError) -> EngineResponse {
        guard path.hasPrefix("/") else { throw CoveError(.internalError, "API path \(path) does not start with /") }
        let target = "/v\(apiVersion)" + path + Self.queryString(query)
        let response = try await exchange(
            method: HTTPMethod(rawValue: method), target: target, body: body, timeout: timeout)
        guard response.status < 400 else { throw Self.error(for: response, request: "\(method) \(target)") }
        return response
    }

    /// `?a=1&b=x%20y` for `query`, or "" when it is empty. Everything but RFC 3986 unreserved characters is escaped.
    static func queryString(_ query: [(name: String, value: String)]) -> String {
        guard !query.isEmpty else { return "" }
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
        return "?" + query.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The error for an answer with status 400 or more.
    static func error(for response: EngineResponse, request: String) -> CoveError {
        let decoded = try? JSONDecoder().decode(APIErrorBody.self, from: Data(response.body))
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let message = decoded?.message ?? (text.isEmpty ? "the engine answered with status \(response.status)" : text)
        let code: CoveError.Code =
            switch response.status {
            case 401: .unauthorized
            case 404: .notFound
            case 409: .conflict
            case 400..<500: .invalidInput
            default: .internalError
            }
        return CoveError(code, message, cause: "HTTP \(response.status) from \(request)")
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ response: EngineResponse, what: String)
        throws(CoveError) -> Value
    {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw CoveError(
                .internalError, "the engine's answer to \(what) is not a valid \(type)", cause: "\(error)")
        }
    }

    private func exchange(method: HTTPMethod, target: String, body: [UInt8]?, timeout: Duration?)
        async throws(CoveError) -> EngineResponse
    {
        var headers = HTTPHeaders()
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
        } else if method != .GET && method != .HEAD {
            headers.add(name: "Content-Length", value: "0")
        }
        return try await exchange(
            method: method, target: target, headers: headers, body: body.map { .bytes($0) } ?? .none, timeout: timeout)
    }

    /// One exchange with `headers` describing `body` (the client's `Host` and `User-Agent` are added).
    func exchange(
        method: HTTPMethod, target: String, headers extra: HTTPHeaders, body: HTTPClientConnection.RequestBody,
        timeout: Duration?
    ) async throws(CoveError) -> EngineResponse {
        var headers = HTTPHeaders([("Host", "cove"), ("User-Agent", userAgent)])
        headers.add(contentsOf: extra)
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: headers)
        do {
            let (responseHead, bytes) = try await HTTPClientConnection.exchange(
                socketPath: host.socketPath, head: head, body: body, timeout: timeout.map(Self.timeAmount), group: group
            )
            return EngineResponse(
                status: Int(responseHead.status.code),
                headers: responseHead.headers.map { EngineResponse.Header(name: $0.name, value: $0.value) },
                body: bytes)
        } catch {
            throw transportError(error, request: "\(method.rawValue) \(target)", timeout: timeout)
        }
    }

    func transportError(_ failure: HTTPClientConnection.Failure, request: String, timeout: Duration?)
        -> CoveError
    {
        switch failure {
        case .connect(let error):
            return CoveError(.io, "cannot connect to the engine at \(host)", cause: connectCause(error))
        case .timedOut:
            let limit = timeout.map { " within \($0)" } ?? ""
            return CoveError(.io, "the engine at \(host) did not answer \(request)\(limit)")
        case .incomplete:
            return CoveError(.io, "the engine at \(host) closed the connection before answering \(request)")
        case .tooLarge:
            return CoveError(
                .io, "the engine's answer to \(request) is larger than \(HTTPClientConnection.maximumBodySize) bytes")
        case .transport(let error):
            return CoveError(.io, "the exchange with the engine at \(host) failed (\(request))", cause: "\(error)")
        }
    }

    /// Why `connect` failed, in words, for the common cases on a local socket.
    private func connectCause(_ error: any Error) -> String {
        guard let ioError = error as? IOError, let code = POSIXErrorCode(rawValue: ioError.errnoCode) else {
            return "\(error)"
        }
        switch code {
        case .ENOENT: return "no socket at \(host.socketPath) (is the daemon running?)"
        case .ECONNREFUSED: return "nothing listens on \(host.socketPath) (is the daemon running?)"
        case .EACCES, .EPERM: return "permission denied on \(host.socketPath)"
        default: return "\(error)"
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(
            seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000)
    }
}
