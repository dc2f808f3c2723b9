import CoveCore

/// Published ports: the short syntax (`[HOST_IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTO]`)
/// and the long syntax, both turned into long-syntax mappings as `docker compose config`
/// prints them (one entry per container port of a range).
enum PortSyntax {
    static func canonical(_ node: Node) throws(CoveError) -> [Node] {
        switch node.value {
        case .int(let port):
            return [entry(target: port, published: nil, hostIP: nil, proto: "tcp", at: node.location)]
        case .string(let spec):
            return try parse(spec, at: node.location)
        case .mapping(var m):
            if m["mode"] == nil { m["mode"] = .string("ingress", at: node.location) }
            if m["protocol"] == nil { m["protocol"] = .string("tcp", at: node.location) }
            if let published = m["published"], let text = published.scalarText {
                m["published"] = Node(.string(text), at: published.location)
            }
            var ordered = Mapping()
            for key in ["name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"] {
                if let v = m[key] { ordered.set(key, v, keyAt: m.location(ofKey: key) ?? v.location) }
            }
            for (key, v) in m where ordered[key] == nil {
                ordered.set(key, v, keyAt: m.location(ofKey: key) ?? v.location)
            }
            return [Node(.mapping(ordered), at: node.location, tag: node.mergeTag)]
        default:
            throw CoveError.invalid(
                "a port must be an integer, a string or a mapping, not \(node.isScalar ? node.description : node.kindName)",
                at: node.location)
        }
    }

    static func entry(target: Int, published: String?, hostIP: String?, proto: String, at location: SourceLocation)
        -> Node
    {
        var m = Mapping(minimumCapacity: 5)
        m["mode"] = .string("ingress", at: location)
        if let hostIP { m["host_ip"] = .string(hostIP, at: location) }
        m["target"] = Node(.int(target), at: location)
        if let published { m["published"] = .string(published, at: location) }
        m["protocol"] = .string(proto, at: location)
        return .mapping(m, at: location)
    }

    /// Parses one short-syntax port specification.
    static func parse(_ spec: String, at location: SourceLocation) throws(CoveError) -> [Node] {
        func fail(_ why: String) -> CoveError {
            CoveError.invalid("invalid port \"\(spec)\": \(why)", at: location)
        }
        var rest = Substring(spec)
        var proto = "tcp"
        if let slash = rest.lastIndex(of: "/") {
            proto = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
            guard !proto.isEmpty else { throw fail("empty protocol") }
        }
        var hostIP: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("missing \"]\" after an IPv6 address") }
            hostIP = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            guard rest.hasPrefix(":") else { throw fail("expected \":\" after the host address") }
            rest = rest.dropFirst()
        }
        var parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if hostIP == nil, parts.count == 3 {
            hostIP = parts.removeFirst()
        }
        guard parts.count <= 2, let containerPart = parts.last, !containerPart.isEmpty else {
            throw fail("expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]")
        }
        let hostPart = parts.count == 2 ? parts[0] : ""
        let container = try range(containerPart, fail)
        let host = hostPart.isEmpty ? nil : try range(hostPart, fail)
        if let hostIP, hostIP.isEmpty { throw fail("empty host address") }
        var result: [Node] = []
        if let host, container.count > 1 {
            guard host.count == container.count else {
                throw fail("the host range \(hostPart) and the container range \(containerPart) differ in size")
            }
            for i in 0..<container.count {
                result.append(
                    entry(
                        target: container.lower + i, published: String(host.lower + i), hostIP: hostIP, proto: proto,
                        at: location))
            }
        } else {
            for i in 0..<container.count {
                result.append(
                    entry(
                        target: container.lower + i, published: host.map { _ in hostPart }, hostIP: hostIP,
                        proto: proto, at: location))
            }
        }
        return result
    }

    static func range(_ text: String, _ fail: (String) -> CoveError) throws(CoveError) -> (lower: Int, count: Int) {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2, let lower = Int(bounds[0]), (0...65535).contains(lower) else {
            throw fail("\"\(text)\" is not a port number or range")
        }
        guard bounds.count == 2 else { return (lower, 1) }
        guard let upper = Int(bounds[1]), (0...65535).contains(upper), upper >= lower else {
            throw fail("\"\(text)\" is not a valid port range")
        }
        return (lower, upper - lower + 1)
    }
}
