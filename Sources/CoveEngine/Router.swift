import CoveAPI

/// What a route handler receives: the request and the API version the client asked for.
public struct RouteContext: Sendable {
    public var request: APIRequest
    /// The version in the path prefix (`/v1.41/...`), or the current version without one.
    public var apiVersion: APIVersion

    public init(request: APIRequest, apiVersion: APIVersion) {
        self.request = request
        self.apiVersion = apiVersion
    }
}

/// One endpoint: the methods and the path (without version prefix) it answers, and its handler.
public struct Route: Sendable {
    /// Answers one request; it never fails (a problem is an error response).
    public typealias Handler = @Sendable (RouteContext) async -> APIResponse

    public var methods: Set<String>
    public var path: String
    public var handler: Handler

    public init(_ methods: Set<String>, _ path: String, handler: @escaping Handler) {
        self.methods = methods
        self.path = path
        self.handler = handler
    }
}

/// Maps (method, path) to a handler, as Docker's API server does: an optional `/vX.Y` prefix
/// chooses the API version; unknown paths are 404, known paths with another method 405, versions
/// outside `APIVersion.minimum ... APIVersion.current` 400. Every response carries `Api-Version`,
/// `Server` and `OSType`.
public struct Router: Sendable {
    private let routes: [String: [Route]]
    private let serverHeader: String

    /// - Parameter serverVersion: Cove's version, sent as `Server: Cove/<version>`.
    public init(serverVersion: String, routes: [Route]) {
        self.routes = Dictionary(grouping: routes, by: \.path)
        serverHeader = "Cove/\(serverVersion)"
    }

    /// The response to `request`. Never fails: every problem is an error response.
    public func respond(to request: APIRequest) async -> APIResponse {
        var response = await dispatch(request)
        response.setHeader("Api-Version", APIVersion.current.description)
        response.setHeader("Server", serverHeader)
        response.setHeader("OSType", "linux")
        return response
    }

    private func dispatch(_ request: APIRequest) async -> APIResponse {
        guard let target = request.path else { return .error(400, "malformed request target") }
        let (versionText, path) = Router.splitVersion(target)
        guard let candidates = routes[path] else { return .error(404, "page not found") }
        guard let route = candidates.first(where: { $0.methods.contains(request.method) }) else {
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
        return await route.handler(RouteContext(request: request, apiVersion: version))
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
