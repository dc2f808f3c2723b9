import CoveCore
import CoveHTTP
import Foundation
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Meets a 401's challenges: Bearer (a token from the realm) is preferred over Basic.
    func authenticate(_ challenges: [AuthChallenge], scopes: [RegistryScope], refusal: [UInt8])
        async throws(CoveError)
    {
        if let bearer = challenges.first(where: { $0.scheme == "bearer" }) {
            let token = try await fetchToken(bearer, scopes: scopes)
            store("Bearer " + token, for: Self.key(scopes))
            return
        }
        if challenges.contains(where: { $0.scheme == "basic" }) {
            guard let credentials else {
                throw CoveError(
                    .unauthorized, "no basic auth credentials",
                    cause: "registry \(host.domain) asks for a user name and password; log in first")
            }
            store(credentials.basicAuthorization, for: Self.basicKey)
            return
        }
        let schemes = challenges.map(\.scheme).joined(separator: ", ")
        throw CoveError(
            .unauthorized, RegistryErrorBody.message(refusal) ?? "authentication required",
            cause: "registry \(host.domain) answered 401 with "
                + (schemes.isEmpty ? "no usable WWW-Authenticate challenge" : "unsupported challenges: \(schemes)"))
    }

    /// Checks the credentials: `GET /v2/` and whatever authentication it asks for must succeed.
    /// A Bearer registry is asked for a token without scope, as `docker login` does.
    public func checkLogin() async throws(CoveError) {
        let (head, body) = try await performCollecting(Request(method: .GET, target: "/v2/"))
        guard head.status.code < 300 else {
            throw Self.failure(status: head.status, body: body, host: host, what: "GET /v2/")
        }
    }

    /// A token from the Bearer challenge's realm for `scopes`: `GET realm?service=…&scope=…`, with
    /// Basic credentials when there are any.
    func fetchToken(_ challenge: AuthChallenge, scopes: [RegistryScope]) async throws(CoveError) -> String {
        guard let realmText = challenge.parameters["realm"], let realm = URL(string: realmText),
            let realmHost = realm.host, !realmHost.isEmpty
        else {
            throw CoveError(.io, "registry \(host.domain) sent a Bearer challenge without a usable realm")
        }
        guard realm.scheme?.lowercased() == "http" else {
            throw CoveError(
                .invalidInput,
                "cannot get a token from \(realmText) for registry \(host.domain): TLS is not supported by cove yet")
        }
        let server = realm.port.map { "\(Self.bracketed(realmHost)):\($0)" } ?? Self.bracketed(realmHost)
        let tokenHost = try RegistryHost.resolve(server, insecure: insecure.union([host.hostHeader]))
        var query: [(String, String)] = []
        if let service = challenge.parameters["service"] { query.append(("service", service)) }
        for scope in scopes { query.append(("scope", scope.description)) }
        let path = realm.path.isEmpty ? "/" : realm.path
        let parameters = (realm.query.map { [$0] } ?? []) + query.map { "\($0.0)=\(Self.encode($0.1))" }
        let target = parameters.isEmpty ? path : path + "?" + parameters.joined(separator: "&")
        var headers = HTTPHeaders([("Host", tokenHost.hostHeader), ("User-Agent", userAgent)])
        if let credentials { headers.add(name: "Authorization", value: credentials.basicAuthorization) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
        let response: (head: HTTPResponseHead, body: [UInt8])
        do {
            response = try await HTTPConnection.exchange(
                tokenHost.endpoint, head: head, body: .none, limits: Self.documentLimits,
                maximumBodySize: Self.maximumDocumentSize)
        } catch {
            throw transportError(error, what: "the token request to \(realmText)")
        }
        guard response.head.status.code < 300 else {
            if response.head.status.code == 401 || response.head.status.code == 403 {
                throw CoveError(
                    .unauthorized,
                    RegistryErrorBody.message(response.body) ?? "unauthorized: incorrect username or password",
                    cause: "the token server \(realmText) answered \(response.head.status.code)")
            }
            throw Self.failure(
                status: response.head.status, body: response.body, host: tokenHost, what: "GET \(realmText)")
        }
        struct TokenAnswer: Decodable {
            var token: String?
            var access_token: String?
        }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(response.body)),
            let token = answer.token ?? answer.access_token, !token.isEmpty
        else {
            throw CoveError(.io, "the token server \(realmText) of registry \(host.domain) sent no token")
        }
        return token
    }

    /// `text` percent-encoded for a query value: everything but RFC 3986 unreserved characters.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
