import CoveCore
import CoveHTTP
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A client of one registry's HTTP API v2 (the OCI distribution API), over plain HTTP.
///
/// Each request opens its own connection. A 401 answer is met once per request by authenticating
/// as the `WWW-Authenticate` challenge asks (`AuthChallenge`): Basic with the credentials, or
/// Bearer with a token from the challenge's realm for the request's scopes (with the credentials
/// when there are any, anonymously otherwise); the authorization is then kept for later requests
/// with the same scopes. Every failure is a `CoveError` naming the registry: 404 is `.notFound`,
/// 401 and 403 `.unauthorized`, other 4xx `.invalidInput`, 5xx and transport failures `.io`.
public final class RegistryClient: Sendable {
    /// The registry.
    public let host: RegistryHost
    /// The credentials to authenticate with, if any.
    public let credentials: RegistryCredentials?
    /// The daemon's `--insecure-registry` values, which also govern a token realm's host.
    public let insecure: Set<String>
    /// Sent as `User-Agent`.
    public let userAgent: String
    /// `Authorization` values by the scopes they were obtained for; `basicKey` holds Basic credentials.
    private let authorizations = Mutex<[String: String]>([:])

    static let basicKey = "*basic"
    /// The largest manifest, token or error body read.
    static let maximumDocumentSize = 4 << 20
    /// Limits for requests with small answers.
    static let documentLimits = HTTPConnection.Limits(total: .seconds(60), connect: .seconds(10))
    /// Limits for blob transfers: any length, but no stall longer than a minute.
    static let transferLimits = HTTPConnection.Limits(idle: .seconds(60), connect: .seconds(10))

    public init(
        host: RegistryHost, credentials: RegistryCredentials? = nil, insecure: Set<String> = [],
        userAgent: String = "cove"
    ) {
        self.host = host
        self.credentials = credentials.flatMap { $0.isEmpty ? nil : $0 }
        self.insecure = insecure
        self.userAgent = userAgent
    }

    /// One request to the registry.
    struct Request: Sendable {
        var method: HTTPMethod
        /// The path and query, starting with `/v2/`.
        var target: String
        var headers: [(String, String)] = []
        var body: HTTPConnection.RequestBody = .none
        /// What the request needs access to, for a Bearer token.
        var scopes: [RegistryScope] = []
        var limits = RegistryClient.documentLimits

        /// True when the body can be sent again after a 401.
        var isReplayable: Bool {
            switch body {
            case .none, .bytes: true
            case .file, .producer: false
            }
        }
    }

    /// What an exchange came to: the handler's result, or a 401 with its challenges and body.
    private enum Outcome<Result: Sendable>: Sendable {
        case done(Result)
        case unauthorized([AuthChallenge], [UInt8])
    }

    /// Sends `request`, authenticating and retrying once on a 401, and returns what `handle` makes of
    /// the answer (any status but 401).
    func perform<Result: Sendable>(
        _ request: Request, handle: (HTTPResponseHead, inout HTTPResponseBody) async throws -> Result
    ) async throws(CoveError) -> Result {
        var retried = false
        while true {
            let key = Self.key(request.scopes)
            let authorization = authorizations.withLock { $0[key] ?? $0[Self.basicKey] }
            let outcome = try await exchange(request, authorization: authorization, handle: handle)
            switch outcome {
            case .done(let result):
                return result
            case .unauthorized(let challenges, let body):
                guard !retried, request.isReplayable else {
                    throw Self.refused(body, host: host, what: "\(request.method.rawValue) \(request.target)")
                }
                retried = true
                try await authenticate(challenges, scopes: request.scopes, refusal: body)
            }
        }
    }

    /// Sends `request` and returns the status, headers and body (at most `maximumDocumentSize` bytes).
    func performCollecting(_ request: Request) async throws(CoveError) -> (head: HTTPResponseHead, body: [UInt8]) {
        try await perform(request) { head, body in (head, try await body.collect(upTo: Self.maximumDocumentSize)) }
    }

    private func exchange<Result: Sendable>(
        _ request: Request, authorization: String?,
        handle: (HTTPResponseHead, inout HTTPResponseBody) async throws -> Result
    ) async throws(CoveError) -> Outcome<Result> {
        var headers = HTTPHeaders([("Host", host.hostHeader), ("User-Agent", userAgent)])
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target, headers: headers)
        do {
            return try await HTTPConnection.exchange(
                host.endpoint, head: head, body: request.body, limits: request.limits
            ) {
                response, body in
                if response.status == .unauthorized {
                    let challenges = response.headers["WWW-Authenticate"].flatMap(AuthChallenge.parse)
                    return .unauthorized(challenges, (try? await body.collect(upTo: Self.maximumDocumentSize)) ?? [])
                }
                return .done(try await handle(response, &body))
            }
        } catch {
            throw transportError(error, what: "\(request.method.rawValue) \(request.target)")
        }
    }

    /// The cache key of an authorization for `scopes`.
    static func key(_ scopes: [RegistryScope]) -> String {
        scopes.map(\.description).sorted().joined(separator: " ")
    }

    func store(_ authorization: String, for key: String) {
        authorizations.withLock { $0[key] = authorization }
    }

    /// A transport failure (or a `CoveError` a handler threw) as the error to report.
    func transportError(_ failure: HTTPClientFailure, what: String) -> CoveError {
        let name = host.domain
        switch failure {
        case .connect(let error):
            return CoveError(.io, "cannot connect to registry \(name) (\(host.endpoint))", cause: "\(error)")
        case .timedOut:
            return CoveError(.io, "registry \(name) did not answer \(what) in time")
        case .incomplete:
            return CoveError(.io, "registry \(name) closed the connection before completing its answer to \(what)")
        case .tooLarge:
            return CoveError(.io, "registry \(name) answered \(what) with more than \(Self.maximumDocumentSize) bytes")
        case .transport(let error):
            if let error = error as? CoveError { return error }
            return CoveError(.io, "the exchange with registry \(name) failed (\(what))", cause: "\(error)")
        }
    }

    /// The error for an answer with a failure status: the registry's own `errors`, with the code
    /// its status calls for.
    static func failure(status: HTTPResponseStatus, body: [UInt8], host: RegistryHost, what: String) -> CoveError {
        let code: CoveError.Code =
            switch status.code {
            case 404: .notFound
            case 401, 403: .unauthorized
            case 400..<500: .invalidInput
            default: .io
            }
        let detail = RegistryErrorBody.message(body) ?? "\(status.code) \(status.reasonPhrase)"
        return CoveError(code, detail, cause: "registry \(host.domain) answered \(status.code) to \(what)")
    }

    /// A 401 that authenticating did not cure.
    static func refused(_ body: [UInt8], host: RegistryHost, what: String) -> CoveError {
        let detail = RegistryErrorBody.message(body) ?? "authentication required"
        return CoveError(.unauthorized, detail, cause: "registry \(host.domain) answered 401 to \(what)")
    }
}
