import CoveCore
import CoveHTTP

/// How a registry named in an image reference is reached: the TCP endpoint and the `Host` header.
///
/// Cove speaks plain HTTP only, so a registry is reachable when it is on a loopback address
/// (`localhost`, `127.0.0.0/8`, `::1`) or named by the daemon's `--insecure-registry`; any other
/// registry is refused with a message saying that TLS is not supported yet. Docker Hub's domain
/// `docker.io` stands for `registry-1.docker.io`.
public struct RegistryHost: Hashable, Sendable {
    /// The domain as written in references (`localhost:5000`, `docker.io`).
    public var domain: String
    /// Where to connect.
    public var endpoint: HTTPEndpoint
    /// The `Host` header: the domain's host and port as written.
    public var hostHeader: String

    /// The host for `domain`; `insecure` holds the `--insecure-registry` values (`host[:port]`).
    public static func resolve(_ domain: String, insecure: Set<String> = []) throws(CoveError) -> RegistryHost {
        let server = domain == ImageReference.defaultDomain ? "registry-1.docker.io" : domain
        let (host, port) = try split(server)
        let named = insecure.contains(server) || insecure.contains(host)
        guard named || isLoopback(host) else {
            throw CoveError(
                .invalidInput,
                "cannot reach registry \(domain): TLS is not supported by cove yet; plain HTTP is used only for "
                    + "loopback registries and those the daemon names with --insecure-registry")
        }
        return RegistryHost(domain: domain, endpoint: .tcp(host: host, port: port ?? 80), hostHeader: server)
    }

    /// True for `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in UInt8(part) != nil }
    }

    /// `host:port`, `[v6]:port`, or a lone host, into its parts (brackets removed).
    static func split(_ server: String) throws(CoveError) -> (host: String, port: Int?) {
        var host = Substring(server)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw CoveError(.invalidInput, "invalid registry address \(String(reflecting: server))")
            }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if rest.hasPrefix(":") {
                portText = rest.dropFirst()
            } else if !rest.isEmpty {
                throw CoveError(.invalidInput, "invalid registry address \(String(reflecting: server))")
            }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw CoveError(.invalidInput, "invalid port in registry address \(String(reflecting: server))")
            }
            port = value
        }
        guard !host.isEmpty else {
            throw CoveError(.invalidInput, "invalid registry address \(String(reflecting: server))")
        }
        return (String(host), port)
    }
}
