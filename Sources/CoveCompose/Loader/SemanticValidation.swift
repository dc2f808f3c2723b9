import CoveCore

/// Stage "validate" after normalization: what the schema cannot say. References to
/// services, networks, volumes, secrets and configs must resolve; a service needs an
/// image or a build; `container_name` allows one replica; two services may not publish
/// the same host port. Dependency cycles are found when the graph is built.
enum SemanticValidation {
    static func check(_ model: Mapping) throws(CoveError) {
        let services = model["services"]?.mapping ?? Mapping()
        // Services are checked independently (in parallel when there are many), and their
        // published ports collected; the error of the first failing service in order is the
        // one reported, then the first port clash.
        let entries = services.map { (name: $0.key, node: $0.value) }
        let results = Parallel.map(entries) { entry -> (CoveError?, [PortClash.Binding]) in
            do throws(CoveError) {
                try check(entry.name, entry.node, services: services, model: model)
                return (nil, PortClash.bindings(of: entry.node, service: entry.name))
            } catch {
                return (error, [])
            }
        }
        if let first = results.lazy.compactMap({ $0.0 }).first { throw first }
        try PortClash.check(results.map(\.1))
    }

    private static func check(_ name: String, _ node: Node, services: Mapping, model: Mapping) throws(CoveError) {
        let s = node.mapping ?? Mapping()
        if s["image"] == nil, s["build"] == nil, s["provider"] == nil {
            throw CoveError(
                .invalidInput, "service \"\(name)\" has neither an image nor a build context specified",
                at: services.location(ofKey: name) ?? node.location, service: name)
        }
        // References the user wrote (links, `service:` namespaces) before the
        // dependencies they imply, so the message names what was written.
        try references(s, service: name, model: model)
        let deps = s["depends_on"]?.mapping ?? Mapping()
        for (dependency, entry) in deps where services[dependency] == nil {
            if entry.mapping?["required"]?.bool == false { continue }
            throw CoveError(
                .invalidInput,
                "service \"\(name)\" depends on undefined service \"\(dependency)\""
                    + Suggest.didYouMean(dependency, services.keys),
                at: deps.location(ofKey: dependency) ?? entry.location, service: name)
        }
        if let containerName = s["container_name"]?.string {
            let replicas = s["deploy"]?.mapping?["replicas"]?.int ?? s["scale"]?.int ?? 1
            if replicas > 1 {
                throw CoveError(
                    .invalidInput,
                    "service \"\(name)\" sets container_name \"\(containerName)\" but asks for \(replicas) replicas; a container name is unique, so remove one of them",
                    at: s["container_name"]?.location, service: name)
            }
        }
    }

    private static func references(_ s: Mapping, service: String, model: Mapping) throws(CoveError) {
        func declared(_ kind: String, _ name: String) -> Bool { model[kind]?.mapping?[name] != nil }
        func hint(_ kind: String, _ name: String) -> String {
            Suggest.didYouMean(name, model[kind]?.mapping?.keys ?? [])
        }
        let networks = s["networks"]?.mapping ?? Mapping()
        for (network, value) in networks where !declared("networks", network) {
            throw CoveError(
                .invalidInput,
                "service \"\(service)\" refers to undefined network \"\(network)\"" + hint("networks", network),
                at: networks.location(ofKey: network) ?? value.location, service: service)
        }
        for volume in s["volumes"]?.sequence ?? [] {
            guard let v = volume.mapping, v["type"]?.string == "volume", let source = v["source"]?.string else {
                continue
            }
            if !declared("volumes", source) {
                throw CoveError(
                    .invalidInput,
                    "service \"\(service)\" refers to undefined volume \"\(source)\""
                        + (hint("volumes", source).isEmpty
                            ? "; declare it under the top-level volumes" : hint("volumes", source)),
                    at: volume.location, service: service)
            }
        }
        for kind in ["secrets", "configs"] {
            for item in s[kind]?.sequence ?? [] {
                guard let source = item.mapping?["source"]?.string, !declared(kind, source) else { continue }
                throw CoveError(
                    .invalidInput,
                    "service \"\(service)\" refers to undefined \(kind.dropLast()) \"\(source)\"" + hint(kind, source),
                    at: item.location, service: service)
            }
        }
        for key in ["network_mode", "ipc", "pid", "uts", "cgroup"] {
            guard let ref = s[key], let text = ref.string, text.hasPrefix("service:") else { continue }
            let target = String(text.dropFirst(8))
            if model["services"]?.mapping?[target] == nil {
                throw CoveError(
                    .invalidInput,
                    "service \"\(service)\": \(key) refers to undefined service \"\(target)\""
                        + hint("services", target), at: ref.location, service: service)
            }
        }
        for entry in s["volumes_from"]?.sequence ?? [] {
            guard let text = entry.string, !text.hasPrefix("container:") else { continue }
            let target = String(text.split(separator: ":").first ?? "")
            if model["services"]?.mapping?[target] == nil {
                throw CoveError(
                    .invalidInput,
                    "service \"\(service)\": volumes_from refers to undefined service \"\(target)\""
                        + hint("services", target), at: entry.location, service: service)
            }
        }
        for link in s["links"]?.sequence ?? [] {
            guard let text = link.string else { continue }
            let target = String(text.split(separator: ":").first ?? "")
            if model["services"]?.mapping?[target] == nil {
                throw CoveError(
                    .invalidInput,
                    "service \"\(service)\" links to undefined service \"\(target)\"" + hint("services", target),
                    at: link.location, service: service)
            }
        }
    }
}

/// Two services publishing the same host port on overlapping addresses.
enum PortClash {
    struct Binding {
        var service: String
        var hostIP: String
        var port: Int
        var proto: String
        var location: SourceLocation
    }

    /// A published port and its protocol: only bindings with the same key can clash.
    struct Key: Hashable {
        var port: Int
        var proto: String
    }

    /// The fixed host ports a normalized service publishes, in order.
    static func bindings(of service: Node, service name: String) -> [Binding] {
        guard let ports = service.mapping?["ports"]?.sequence else { return [] }
        var out: [Binding] = []
        for port in ports {
            guard let p = port.mapping, let published = p["published"]?.scalarText, !published.isEmpty else {
                continue
            }
            // A published range lets the engine pick any free port in it: only a fixed
            // port can clash.
            guard let number = Int(published), number > 0 else { continue }
            let proto = p["protocol"]?.string ?? "tcp"
            out.append(
                Binding(
                    service: name, hostIP: p["host_ip"]?.string ?? "", port: number, proto: proto,
                    location: port.location))
        }
        return out
    }

    /// Checks the bindings of every service (in service order) against each other.
    static func check(_ services: [[Binding]]) throws(CoveError) {
        var seen: [Key: [Binding]] = [:]
        seen.reserveCapacity(services.reduce(0) { $0 + $1.count })
        for bindings in services {
            for binding in bindings {
                let key = Key(port: binding.port, proto: binding.proto)
                for other in seen[key] ?? []
                where other.service != binding.service && overlaps(other.hostIP, binding.hostIP) {
                    let address = binding.hostIP.isEmpty ? "" : "\(binding.hostIP):"
                    throw CoveError(
                        .invalidInput,
                        "services \"\(other.service)\" and \"\(binding.service)\" both publish host port \(address)\(binding.port)/\(binding.proto) (\"\(other.service)\" at \(other.location))",
                        at: binding.location)
                }
                seen[key, default: []].append(binding)
            }
        }
    }

    static func overlaps(_ a: String, _ b: String) -> Bool {
        func any(_ ip: String) -> Bool { ip.isEmpty || ip == "0.0.0.0" || ip == "::" }
        return a == b || any(a) || any(b)
    }
}

/// "did you mean" hints for names that do not resolve.
enum Suggest {
    static func didYouMean(_ name: String, _ candidates: [String]) -> String {
        SchemaText.didYouMean(SchemaText.closest(to: name, among: candidates))
    }
}
