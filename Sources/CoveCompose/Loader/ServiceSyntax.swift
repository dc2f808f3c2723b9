import CoveCore

/// Stage "canonical" for one service: every short syntax turned into the long form
/// `docker compose config` prints, paths made absolute, durations and sizes normalized.
/// Merge tags (`!reset`, `!override`) stay on the nodes they were written on.
struct ServiceSyntax {
    let paths: PathResolver

    func canonical(_ service: Node, name: String) throws(CoveError) -> Node {
        guard case .mapping(let input) = service.value else {
            if service.isNull { return Node(.mapping(Mapping()), at: service.location, tag: service.mergeTag) }
            throw CoveError.invalid(
                "service \"\(name)\" must be a mapping, not \(service.kindName)", at: service.location)
        }
        var m = input
        for (key, value) in input {
            if let transformed = try transform(key, value, service: name) {
                m[key] = transformed
            }
        }
        return Node(.mapping(m), at: service.location, tag: service.mergeTag)
    }

    /// The canonical form of one service field, or nil to keep it as written.
    /// The fields `transform` rewrites; every other field is kept as written.
    static let rewritten: Set<String> = [
        "build", "command", "entrypoint", "depends_on", "environment", "labels", "annotations", "sysctls",
        "extra_hosts", "dns", "dns_search", "tmpfs", "label_file", "env_file", "networks", "ports", "volumes",
        "secrets", "configs", "devices", "expose", "extends", "healthcheck", "blkio_config", "stop_grace_period",
        "mem_limit", "memswap_limit", "mem_reservation", "shm_size", "cpus", "pull_policy", "deploy",
    ]

    private func transform(_ key: String, _ value: Node, service: String) throws(CoveError) -> Node? {
        if value.isNull || !ServiceSyntax.rewritten.contains(key) { return nil }
        switch key {
        case "build": return try build(value)
        case "command", "entrypoint": return try command(value, field: key)
        case "depends_on": return try dependsOn(value)
        case "environment": return try ListSyntax.keyValueMapping(value, missing: .null, field: key)
        case "labels", "annotations": return try ListSyntax.keyValueMapping(value, missing: .empty, field: key)
        case "sysctls": return try ListSyntax.keyValueMapping(value, missing: .empty, field: key)
        case "extra_hosts": return try ListSyntax.extraHosts(value)
        case "dns", "dns_search", "tmpfs", "label_file": return ListSyntax.stringOrList(value)
        case "env_file": return envFiles(value)
        case "networks": return ListSyntax.namesToMapping(value)
        case "ports": return try ports(value)
        case "volumes":
            return try mapItems(value) { (item) throws(CoveError) in try VolumeSyntax.canonical(item, paths: paths) }
        case "secrets": return try mapItems(value) { fileMount($0, defaultDirectory: "/run/secrets") }
        case "configs": return try mapItems(value) { fileMount($0, defaultDirectory: nil) }
        case "devices": return try mapItems(value, device)
        case "expose": return try mapItems(value) { Node(.string($0.scalarText ?? ""), at: $0.location) }
        case "extends":
            return value.string.map { s in
                Node(
                    .mapping(Mapping([("service", .string(s, at: value.location))])), at: value.location,
                    tag: value.mergeTag)
            }
        case "healthcheck": return try healthcheck(value)
        case "blkio_config": return try blkio(value)
        case "stop_grace_period": return try duration(value, field: key)
        case "mem_limit", "memswap_limit", "mem_reservation", "shm_size": return try bytes(value, field: key)
        case "cpus": return float(value)
        case "pull_policy":
            return value.string == "if_not_present"
                ? Node(.string("missing"), at: value.location, tag: value.mergeTag) : nil
        case "deploy": return try deploy(value)
        default: return nil
        }
    }

    private func mapItems(_ node: Node, _ f: (Node) throws(CoveError) -> Node) throws(CoveError) -> Node? {
        guard case .sequence(let items) = node.value else { return nil }
        var out: [Node] = []
        for item in items { out.append(try f(item)) }
        return Node(.sequence(out), at: node.location, tag: node.mergeTag)
    }

    private func build(_ node: Node) throws(CoveError) -> Node? {
        var m: Mapping
        switch node.value {
        case .string(let context): m = Mapping([("context", .string(context, at: node.location))])
        case .mapping(let existing): m = existing
        default: return nil
        }
        if let context = m["context"], let text = context.string, !BuildContext.isRemote(text) {
            m["context"] = .string(paths.resolve(text), at: context.location)
        }
        for field in ["args", "labels"] {
            if let v = m[field] {
                m[field] = try ListSyntax.keyValueMapping(
                    v, missing: field == "args" ? .null : .empty, field: "build.\(field)")
            }
        }
        if let v = m["additional_contexts"] {
            var contexts = try ListSyntax.keyValueMapping(v, missing: .empty, field: "build.additional_contexts")
            if var list = contexts.mapping {
                list.transformValues { _, value in
                    guard let text = value.string, BuildContext.isLocal(text) else { return value }
                    return .string(paths.resolve(text), at: value.location)
                }
                contexts.value = .mapping(list)
            }
            m["additional_contexts"] = contexts
        }
        if let v = m["extra_hosts"] { m["extra_hosts"] = try ListSyntax.extraHosts(v) }
        if let v = m["shm_size"] { m["shm_size"] = try bytes(v, field: "build.shm_size") }
        return Node(.mapping(m), at: node.location, tag: node.mergeTag)
    }

    private func command(_ node: Node, field: String) throws(CoveError) -> Node? {
        guard let text = node.string else { return nil }
        do {
            let words = try ShellWords.split(text)
            return Node(.sequence(words.map { .string($0, at: node.location) }), at: node.location, tag: node.mergeTag)
        } catch {
            throw CoveError.invalid("\(field): unterminated quote in: \(text)", at: node.location)
        }
    }

    private func dependsOn(_ node: Node) throws(CoveError) -> Node? {
        var out = Mapping()
        func defaults(_ m: Mapping, at location: SourceLocation) -> Node {
            var d = m
            if d["condition"] == nil { d["condition"] = .string("service_started", at: location) }
            if d["required"] == nil { d["required"] = Node(.bool(true), at: location) }
            var ordered = Mapping()
            for key in ["condition", "restart", "required"] where d[key] != nil { ordered[key] = d[key] }
            for (key, v) in d where ordered[key] == nil { ordered[key] = v }
            return .mapping(ordered, at: location)
        }
        switch node.value {
        case .sequence(let items):
            for item in items {
                guard let name = item.string else { continue }
                out.set(name, defaults(Mapping(), at: item.location), keyAt: item.location)
            }
        case .mapping(let m):
            for (name, v) in m {
                let entry = defaults(v.mapping ?? Mapping(), at: v.location)
                out.set(
                    name, Node(entry.value, at: entry.location, tag: v.mergeTag),
                    keyAt: m.location(ofKey: name) ?? v.location)
            }
        default: return nil
        }
        return Node(.mapping(out), at: node.location, tag: node.mergeTag)
    }

    private func envFiles(_ node: Node) -> Node? {
        let list: [Node]
        switch node.value {
        case .string: list = [node]
        case .sequence(let items): list = items
        default: return nil
        }
        let out = list.map { item -> Node in
            var m = item.mapping ?? Mapping([("path", Node(item.value, at: item.location))])
            if let path = m["path"], let p = path.string { m["path"] = .string(paths.resolve(p), at: path.location) }
            if m["required"] == nil { m["required"] = Node(.bool(true), at: item.location) }
            return .mapping(m, at: item.location)
        }
        return Node(.sequence(out), at: node.location, tag: node.mergeTag)
    }

    private func ports(_ node: Node) throws(CoveError) -> Node? {
        guard case .sequence(let items) = node.value else { return nil }
        var out: [Node] = []
        for item in items { out.append(contentsOf: try PortSyntax.canonical(item)) }
        return Node(.sequence(out), at: node.location, tag: node.mergeTag)
    }

    /// `secrets`/`configs` entries: a name becomes `{source: name}`; secrets get their
    /// default target under /run/secrets.
    private func fileMount(_ node: Node, defaultDirectory: String?) -> Node {
        var m = node.mapping ?? Mapping([("source", Node(node.value, at: node.location))])
        if let directory = defaultDirectory, let source = m["source"]?.string, m["target"] == nil {
            m["target"] = .string(directory + "/" + source, at: node.location)
        }
        if let mode = m["mode"] {
            let value = mode.int ?? mode.string.flatMap { Int($0, radix: 8) }
            if let value { m["mode"] = .string("0" + String(value, radix: 8), at: mode.location) }
        }
        return Node(.mapping(m), at: node.location, tag: node.mergeTag)
    }

    private func device(_ node: Node) throws(CoveError) -> Node {
        guard let spec = node.string else { return node }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw CoveError.invalid(
                "invalid device \"\(spec)\": expected SOURCE[:TARGET[:PERMISSIONS]]", at: node.location)
        }
        var m = Mapping()
        m["source"] = .string(parts[0], at: node.location)
        m["target"] = .string(parts.count > 1 ? parts[1] : parts[0], at: node.location)
        m["permissions"] = .string(parts.count > 2 ? parts[2] : "rwm", at: node.location)
        return .mapping(m, at: node.location)
    }

    private func healthcheck(_ node: Node) throws(CoveError) -> Node? {
        guard var m = node.mapping else { return nil }
        if let test = m["test"], let text = test.string {
            m["test"] = Node(
                .sequence([.string("CMD-SHELL", at: test.location), .string(text, at: test.location)]),
                at: test.location, tag: test.mergeTag)
        }
        for key in ["interval", "timeout", "start_period", "start_interval"] {
            if let v = m[key] { m[key] = try duration(v, field: "healthcheck.\(key)") }
        }
        var ordered = Mapping()
        for key in ["test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"]
        where m[key] != nil {
            ordered.set(key, m[key] ?? .null, keyAt: m.location(ofKey: key) ?? node.location)
        }
        for (key, v) in m where ordered[key] == nil { ordered.set(key, v, keyAt: m.location(ofKey: key) ?? v.location) }
        return Node(.mapping(ordered), at: node.location, tag: node.mergeTag)
    }

    /// `blkio_config` rates in bytes per second, as strings (`20mb` → "20971520").
    private func blkio(_ node: Node) throws(CoveError) -> Node? {
        guard var m = node.mapping else { return nil }
        for key in ["device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops"] {
            guard let list = m[key]?.sequence else { continue }
            var out: [Node] = []
            for entry in list {
                guard var e = entry.mapping, let rate = e["rate"] else {
                    out.append(entry)
                    continue
                }
                e["rate"] = try bytes(rate, field: "blkio_config.\(key).rate")
                out.append(.mapping(e, at: entry.location))
            }
            m[key] = .sequence(out, at: m[key]?.location ?? node.location)
        }
        return Node(.mapping(m), at: node.location, tag: node.mergeTag)
    }

    private func deploy(_ node: Node) throws(CoveError) -> Node? {
        guard var m = node.mapping else { return nil }
        if let v = m["labels"] {
            m["labels"] = try ListSyntax.keyValueMapping(v, missing: .empty, field: "deploy.labels")
        }
        if var resources = m["resources"]?.mapping {
            for kind in ["limits", "reservations"] {
                guard var r = resources[kind]?.mapping else { continue }
                if let cpus = r["cpus"] { r["cpus"] = float(cpus) ?? cpus }
                if let memory = r["memory"] {
                    r["memory"] = try bytes(memory, field: "deploy.resources.\(kind).memory")
                }
                resources[kind] = .mapping(r, at: resources[kind]?.location ?? node.location)
            }
            m["resources"] = .mapping(resources, at: m["resources"]?.location ?? node.location)
        }
        for (section, keys) in [
            ("restart_policy", ["delay", "window"]), ("update_config", ["delay", "monitor"]),
            ("rollback_config", ["delay", "monitor"]),
        ] {
            guard var s = m[section]?.mapping else { continue }
            for key in keys { if let v = s[key] { s[key] = try duration(v, field: "deploy.\(section).\(key)") } }
            m[section] = .mapping(s, at: m[section]?.location ?? node.location)
        }
        return Node(.mapping(m), at: node.location, tag: node.mergeTag)
    }

    func duration(_ node: Node, field: String) throws(CoveError) -> Node {
        guard let text = node.string else { return node }
        guard let ns = Units.parseDuration(text) else {
            throw CoveError.invalid(
                "\(field): \"\(text)\" is not a duration (examples: 10s, 1m30s, 500ms)", at: node.location)
        }
        return Node(.string(Units.formatDuration(ns)), at: node.location, tag: node.mergeTag)
    }

    func bytes(_ node: Node, field: String) throws(CoveError) -> Node {
        guard let text = node.scalarText, !node.isNull else { return node }
        guard let value = text == "-1" ? -1 : Units.parseBytes(text) else {
            throw CoveError.invalid(
                "\(field): \"\(text)\" is not a byte size (examples: 512m, 1g, 1048576)", at: node.location)
        }
        return Node(.string(String(value)), at: node.location, tag: node.mergeTag)
    }

    private func float(_ node: Node) -> Node? {
        guard let text = node.string, let d = Double(text) else { return nil }
        return Node(.float(d), at: node.location, tag: node.mergeTag)
    }
}

/// Build contexts that are not local directories.
enum BuildContext {
    static func isRemote(_ context: String) -> Bool {
        context.contains("://") || context.hasPrefix("git@") || context.hasPrefix("github.com/")
    }

    /// An additional context that names a local directory (not an image, a service or a URL).
    static func isLocal(_ context: String) -> Bool {
        !isRemote(context) && !context.hasPrefix("service:") && !context.hasPrefix("target:")
    }
}
