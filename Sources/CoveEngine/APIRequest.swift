/// One header field, name as received or as sent.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One API request as the router sees it: no socket, no NIO types.
public struct APIRequest: Sendable {
    /// The method, upper case ("GET").
    public var method: String
    /// The request target as received ("/v1.43/info?x=1").
    public var target: String
    public var headers: [HTTPField]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The path of the target, without the query. An absolute-form target
    /// ("http://docker/v1.43/info") gives its path; `nil` when the target has no path.
    public var path: String? {
        var rest = Substring(target)
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        if rest.hasPrefix("/") { return String(rest) }
        guard let scheme = rest.range(of: "://") else { return nil }
        let afterAuthority = rest[scheme.upperBound...]
        guard let slash = afterAuthority.firstIndex(of: "/") else { return afterAuthority.isEmpty ? nil : "/" }
        return String(afterAuthority[slash...])
    }

    /// The query string after `?`, when there is one.
    public var query: String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        let rest = target[target.index(after: mark)...]
        return String(rest.prefix { $0 != "#" })
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
