import CoveAPI

/// What a route handler receives: the request and the API version the client asked for.
public struct RouteContext: Sendable {
    public var request: APIRequest
    /// The version in the path prefix (`/v1.41/...`), or the current version without one.
    public var apiVersion: APIVersion
    /// The text matched by `{name}` in a route path such as `/images/{name}/json`, percent-decoded.
    public var pathParameter: String?
    /// The request body as it arrives, for a route with `streamsBody`; then `request.body` is empty.
    public var bodyStream: RequestBodyStream?

    public init(
        request: APIRequest, apiVersion: APIVersion, pathParameter: String? = nil,
        bodyStream: RequestBodyStream? = nil
    ) {
        self.request = request
        self.apiVersion = apiVersion
        self.pathParameter = pathParameter
        self.bodyStream = bodyStream
    }
}

/// One endpoint: the methods and the path (without version prefix) it answers, and its handler.
///
/// A path may hold one `{name}` placeholder (`/images/{name}/json`): it matches one or more
/// characters, slashes included, so `/images/localhost:5000/x/y:1/json` names `localhost:5000/x/y:1`.
/// Exact paths are tried before placeholder paths.
public struct Route: Sendable {
    /// Answers one request; it never fails (a problem is an error response).
    public typealias Handler = @Sendable (RouteContext) async -> APIResponse

    public var methods: Set<String>
    public var path: String
    public var handler: Handler
    /// True when the handler reads the body as a stream (`RouteContext.bodyStream`) instead of
    /// receiving it buffered; the 1 MiB limit of buffered bodies does not apply, the route sets its own.
    public var streamsBody: Bool

    public init(_ methods: Set<String>, _ path: String, streamsBody: Bool = false, handler: @escaping Handler) {
        self.methods = methods
        self.path = path
        self.streamsBody = streamsBody
        self.handler = handler
    }

    /// The placeholder's text when `path` matches this route's `{name}` pattern, else nil.
    func parameter(in path: String) -> String? {
        guard let range = self.path.range(of: "{name}") else { return nil }
        let prefix = self.path[..<range.lowerBound]
        let suffix = self.path[range.upperBound...]
        guard path.count > prefix.count + suffix.count, path.hasPrefix(prefix), path.hasSuffix(suffix) else {
            return nil
        }
        let raw = String(path.dropFirst(prefix.count).dropLast(suffix.count))
        return raw.removingPercentEncoding ?? raw
    }
}

/// Maps (method, path) to a handler, as Docker's API server does: an optional `/vX.Y` prefix
/// chooses the API version; unknown paths are 404, known paths with another method 405, versions
/// outside `APIVersion.minimum ... APIVersion.current` 400. Every response carries `Api-Version`,
/// `Server` and `OSType`.
public struct Router: Sendable {
    private let routes: [String: [Route]]
    private let patternRoutes: [Route]
    private let serverHeader: String

    /// - Parameter serverVersion: Cove's version, sent as `Server: Cove/<version>`.
    public init(serverVersion: String, routes: [Route]) {
        self.routes = Dictionary(grouping: routes.filter { !$0.path.contains("{name}") }, by: \.path)
        patternRoutes = routes.filter { $0.path.contains("{name}") }
        serverHeader = "Cove/\(serverVersion)"
    }

    /// True when the route that would answer `method` on `target` reads its body as a stream.
    public func streamsBody(method: String, target: String) -> Bool {
        guard let path = APIRequest(method: method, target: target).path else { return false }
        return match(method: method, path: Router.splitVersion(path).path)?.route.streamsBody ?? false
    }

    /// The response to `request`. Never fails: every problem is an error response. `bodyStream`
    /// is handed to a route that streams its body.
    public func respond(to request: APIRequest, bodyStream: RequestBodyStream? = nil) async -> APIResponse {
        var response = await dispatch(request, bodyStream: bodyStream)
        response.setHeader("Api-Version", APIVersion.current.description)
        response.setHeader("Server", serverHeader)
        response.setHeader("OSType", "linux")
        return response
    }

    /// The route for `method` on a path without version prefix, and its placeholder text.
    private func match(method: String, path: String) -> (route: Route, parameter: String?)? {
        if let route = routes[path]?.first(where: { $0.methods.contains(method) }) { return (route, nil) }
        for route in patternRoutes where route.methods.contains(method) {
            if let parameter = route.parameter(in: path) { return (route, parameter) }
        }
        return nil
    }

    private func dispatch(_ request: APIRequest, bodyStream: RequestBodyStream?) async -> APIResponse {
        guard let target = request.path else { return .error(400, "malformed request target") }
        let (versionText, path) = Router.splitVersion(target)
        let candidates = (routes[path] ?? []) + patternRoutes.filter { $0.parameter(in: path) != nil }
        guard !candidates.isEmpty else { return .error(404, "page not found") }
        guard let (route, parameter) = match(method: request.method, path: path) else {
            var response = APIResponse.error(405, "method \(request.method) not allowed on \(path)")
            response.setHeader("Allow", candidates.flatMap(\.methods).sorted().joined(separator: ", "))
            return response
        }
        var version = APIVersion.current
        if let versionText {
            guard let asked = APIVersion(versionText) else { return .error(404, "page not found") }
            if asked > .current {
                return .error(
                    400,
                    "client version \(versionText) is too new. Maximum supported API version is \(APIVersion.current)")
            }
            if asked < .minimum {
                return .error(
                    400,
                    "client version \(versionText) is too old. Minimum supported API version is \(APIVersion.minimum), "
                        + "please upgrade your client to a newer version")
            }
            version = asked
        }
        return await route.handler(
            RouteContext(request: request, apiVersion: version, pathParameter: parameter, bodyStream: bodyStream))
    }

    /// Splits `/v1.43/info` into ("1.43", "/info"); a path without a version prefix is returned whole.
    /// As in Docker, the prefix is `/v` and digits and dots, followed by `/`.
    static func splitVersion(_ path: String) -> (version: String?, path: String) {
        guard path.hasPrefix("/v") else { return (nil, path) }
        let rest = path.dropFirst(2)
        guard let slash = rest.firstIndex(of: "/") else { return (nil, path) }
        let version = rest[..<slash]
        guard !version.isEmpty, version.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }) else {
            return (nil, path)
        }
        return (String(version), String(rest[slash...]))
    }
}
