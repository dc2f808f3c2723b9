import CoveCore

/// Stage "normalize": the defaults and derived values `docker compose config` shows.
/// Build defaults, `env_file` contents folded into `environment`, bare variables resolved,
/// implicit dependencies (links, `service:` namespaces, `volumes_from`), the implicit
/// `default` network, resource names, and resources no service uses dropped.
struct Normalizer: Sendable {
    let projectName: String
    let environment: Environment
    let source: FileSource
    let interpolate: Bool
    private(set) var warnings: [String] = []

    init(projectName: String, environment: Environment, source: FileSource, interpolate: Bool) {
        self.projectName = projectName
        self.environment = environment
        self.source = source
        self.interpolate = interpolate
    }

    mutating func normalize(_ model: Mapping) throws(CoveError) -> Mapping {
        let input = model["services"]?.mapping ?? Mapping()
        var services = Mapping(minimumCapacity: input.count)
        var usesDefaultNetwork = false
        let entries = input.keys.sorted().compactMap { name in input[name].map { (name: name, node: $0) } }
        let normalized = try Parallel.map(entries) { [self] entry throws(CoveError) -> (Mapping, UsedResources) in
            var service = try normalizeService(
                entry.node.mapping ?? Mapping(), name: entry.name, at: entry.node.location)
            if service["network_mode"] == nil, service["provider"] == nil,
                (service["networks"]?.mapping ?? Mapping()).isEmpty
            {
                service["networks"] = .mapping(Mapping([("default", .null)]), at: entry.node.location)
            }
            Defaults.dropFalse(&service)
            Defaults.sortMaps(&service)
            service.sortKeys()
            return (service, UsedResources(service: service))
        }
        var used = UsedResources()
        for (entry, (service, uses)) in zip(entries, normalized) {
            used.formUnion(uses)
            if service["network_mode"] == nil, service["provider"] == nil,
                service["networks"]?.mapping?["default"] != nil
            {
                usesDefaultNetwork = true
            }
            services.set(
                entry.name, .mapping(service, at: entry.node.location),
                keyAt: input.location(ofKey: entry.name) ?? entry.node.location)
        }

        var out = Mapping()
        out["name"] = .string(projectName)
        out["services"] = .mapping(services, at: model["services"]?.location ?? .synthesized)
        for kind in ["networks", "volumes", "secrets", "configs", "models"] {
            var resources = model[kind]?.mapping ?? Mapping()
            if kind == "networks", usesDefaultNetwork, resources["default"] == nil {
                resources["default"] = .mapping(Mapping())
            }
            var kept = Mapping()
            for key in resources.keys.sorted() where used.contains(kind, key) {
                guard let resource = resources[key] else { continue }
                kept.set(
                    key,
                    Defaults.droppingFalse(
                        named(resource, key: key, kind: kind), ["external", "internal", "attachable"]),
                    keyAt: resources.location(ofKey: key) ?? resource.location)
            }
            if !kept.isEmpty { out[kind] = .mapping(kept, at: model[kind]?.location ?? .synthesized) }
        }
        for (key, value) in model where key.hasPrefix("x-") {
            out.set(key, value, keyAt: model.location(ofKey: key) ?? value.location)
        }
        return out
    }

    /// Gives a resource its engine name: `<project>_<key>`, or the key itself when external.
    private func named(_ node: Node, key: String, kind: String) -> Node {
        var m = node.mapping ?? Mapping()
        guard kind != "models" else { return node }
        if m["name"] == nil {
            let external = m["external"]?.bool == true
            m["name"] = .string(external ? key : "\(projectName)_\(key)", at: node.location)
        }
        var ordered = Mapping([("name", m["name"] ?? .null)])
        for (k, v) in m where k != "name" { ordered.set(k, v, keyAt: m.location(ofKey: k) ?? v.location) }
        return .mapping(ordered, at: node.location)
    }

    private func normalizeService(_ input: Mapping, name: String, at location: SourceLocation) throws(CoveError)
        -> Mapping
    {
        var s = input
        if var build = s["build"]?.mapping {
            if build["dockerfile"] == nil, build["dockerfile_inline"] == nil {
                build["dockerfile"] = .string("Dockerfile", at: location)
            }
            if let args = build["args"]?.mapping {
                build["args"] = .mapping(resolveBare(args, keepUnset: false), at: build["args"]?.location ?? location)
            }
            var ordered = Mapping()
            for key in ["context", "dockerfile"] where build[key] != nil { ordered[key] = build[key] }
            for (k, v) in build where ordered[k] == nil {
                ordered.set(k, v, keyAt: build.location(ofKey: k) ?? v.location)
            }
            s["build"] = .mapping(ordered, at: s["build"]?.location ?? location)
        }
        var env = Mapping()
        if let files = s["env_file"]?.sequence {
            for file in files {
                for (k, v) in try readEnvFile(file) { env.set(k, .string(v, at: file.location), keyAt: file.location) }
            }
            s.removeValue(forKey: "env_file")
        }
        for (k, v) in s["environment"]?.mapping ?? Mapping() { env.set(k, v, keyAt: v.location) }
        if !env.isEmpty {
            s["environment"] = .mapping(
                interpolate ? resolveBare(env, keepUnset: true) : env, at: s["environment"]?.location ?? location)
        }
        var dependsOn = s["depends_on"]?.mapping ?? Mapping()
        func implicit(_ service: String, restart: Bool, at: SourceLocation) {
            guard dependsOn[service] == nil else { return }
            dependsOn.set(
                service,
                .mapping(
                    Mapping([
                        ("condition", .string("service_started")), ("restart", Node(.bool(restart))),
                        ("required", Node(.bool(true))),
                    ]), at: at),
                keyAt: at)
        }
        for link in s["links"]?.sequence ?? [] {
            if let text = link.string {
                implicit(String(text.split(separator: ":").first ?? ""), restart: true, at: link.location)
            }
        }
        for key in ["network_mode", "ipc", "pid", "uts", "cgroup"] {
            if let ref = s[key], let text = ref.string, text.hasPrefix("service:") {
                implicit(String(text.dropFirst(8)), restart: true, at: ref.location)
            }
        }
        for entry in s["volumes_from"]?.sequence ?? [] {
            if let text = entry.string, !text.hasPrefix("container:") {
                implicit(String(text.split(separator: ":").first ?? ""), restart: false, at: entry.location)
            }
        }
        if !dependsOn.isEmpty { s["depends_on"] = .mapping(dependsOn, at: s["depends_on"]?.location ?? location) }
        if let hosts = s["extra_hosts"]?.mapping {
            var list: [Node] = []
            var seen = Set<String>()
            for host in hosts.keys.sorted() {
                for ip in hosts[host]?.sequence ?? [] {
                    let entry = "\(host)=\(ip.scalarText ?? "")"
                    if seen.insert(entry).inserted { list.append(.string(entry, at: ip.location)) }
                }
            }
            s["extra_hosts"] = .sequence(list, at: s["extra_hosts"]?.location ?? location)
        }
        if let scale = s["scale"], let replicas = s["deploy"]?.mapping?["replicas"], let a = scale.int,
            let b = replicas.int, a != b
        {
            throw CoveError(
                .invalidInput, "scale (\(a)) and deploy.replicas (\(b)) differ; set only one of them",
                at: scale.location, service: name)
        }
        return s
    }

    /// Values that are null (a bare `KEY`) take the variable's value from the project
    /// environment; unset ones stay null (`environment`) or are dropped (build `args`).
    private func resolveBare(_ m: Mapping, keepUnset: Bool) -> Mapping {
        var out = Mapping()
        for (key, value) in m {
            if value.isNull {
                if let v = environment[key] {
                    out.set(key, .string(v, at: value.location), keyAt: value.location)
                } else if keepUnset {
                    out.set(key, value, keyAt: value.location)
                }
            } else {
                out.set(key, value, keyAt: value.location)
            }
        }
        return out
    }

    private func readEnvFile(_ entry: Node) throws(CoveError) -> [(key: String, value: String)] {
        guard let m = entry.mapping, let path = m["path"]?.string else { return [] }
        let required = m["required"]?.bool ?? true
        guard source.isFile(path) || required else { return [] }
        do {
            let env = environment
            let text = try source.read(path, what: "env file")
            return try DotEnv.parse(text, file: path, lookup: { env[$0] })
        } catch {
            if error.location?.line ?? 0 > 0 { throw error }
            throw CoveError(error.code, error.message, at: entry.location)
        }
    }
}

/// The networks, volumes, secrets and configs that services refer to.
struct UsedResources {
    private var names: [String: Set<String>] = [:]

    init() {}

    /// What one normalized service uses.
    init(service s: Mapping) {
        for key in s["networks"]?.mapping?.keys ?? [] { names["networks", default: []].insert(key) }
        for volume in s["volumes"]?.sequence ?? [] {
            if let v = volume.mapping, v["type"]?.string == "volume", let source = v["source"]?.string {
                names["volumes", default: []].insert(source)
            }
        }
        for kind in ["secrets", "configs"] {
            for item in s[kind]?.sequence ?? [] {
                if let source = item.mapping?["source"]?.string { names[kind, default: []].insert(source) }
            }
        }
        for item in s["build"]?.mapping?["secrets"]?.sequence ?? [] {
            if let source = item.mapping?["source"]?.string ?? item.string {
                names["secrets", default: []].insert(source)
            }
        }
        for key in s["models"]?.mapping?.keys ?? [] { names["models", default: []].insert(key) }
    }

    mutating func formUnion(_ other: UsedResources) {
        for (kind, set) in other.names { names[kind, default: []].formUnion(set) }
    }

    func contains(_ kind: String, _ name: String) -> Bool {
        names[kind]?.contains(name) ?? false
    }
}

/// What `docker compose config` leaves out or orders: `false` for flags that default to
/// false, and map-typed fields sorted by key.
enum Defaults {
    static let serviceFlags = ["tty", "stdin_open", "privileged", "read_only", "oom_kill_disable"]
    static let sortedServiceMaps = ["environment", "labels", "annotations", "depends_on", "sysctls"]

    static func droppingFalse(_ node: Node, _ keys: [String]) -> Node {
        guard var m = node.mapping else { return node }
        for key in keys where m[key]?.bool == false { m.removeValue(forKey: key) }
        return Node(.mapping(m), at: node.location, tag: node.mergeTag)
    }

    static func dropFalse(_ s: inout Mapping) {
        for key in serviceFlags where s[key]?.bool == false { s.removeValue(forKey: key) }
        if let health = s["healthcheck"] { s["healthcheck"] = droppingFalse(health, ["disable"]) }
        if var deps = s["depends_on"]?.mapping {
            deps.transformValues { _, entry in droppingFalse(entry, ["restart"]) }
            s["depends_on"] = .mapping(deps, at: s["depends_on"]?.location ?? .synthesized)
        }
        if let volumes = s["volumes"]?.sequence {
            let cleaned = volumes.map { volume -> Node in
                guard var v = volume.mapping else { return volume }
                if v["read_only"]?.bool == false { v.removeValue(forKey: "read_only") }
                if let bind = v["bind"] { v["bind"] = droppingFalse(bind, ["create_host_path"]) }
                if let vol = v["volume"] { v["volume"] = droppingFalse(vol, ["nocopy"]) }
                return Node(.mapping(v), at: volume.location)
            }
            s["volumes"] = .sequence(cleaned, at: s["volumes"]?.location ?? .synthesized)
        }
    }

    static func sortMaps(_ s: inout Mapping) {
        func sorted(_ node: Node?) -> Node? {
            guard let node, var m = node.mapping else { return node }
            m.sortKeys()
            return Node(.mapping(m), at: node.location, tag: node.mergeTag)
        }
        for key in sortedServiceMaps where s[key] != nil { s[key] = sorted(s[key]) }
        if var build = s["build"]?.mapping {
            for key in ["args", "labels"] where build[key] != nil { build[key] = sorted(build[key]) }
            s["build"] = .mapping(build, at: s["build"]?.location ?? .synthesized)
        }
        if var logging = s["logging"]?.mapping, logging["options"] != nil {
            logging["options"] = sorted(logging["options"])
            s["logging"] = .mapping(logging, at: s["logging"]?.location ?? .synthesized)
        }
    }
}
