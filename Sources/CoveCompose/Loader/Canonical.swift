import CoveCore

/// Canonical form of a whole file: services through `ServiceSyntax`, top-level resources
/// as mappings with their legacy forms rewritten.
enum Canonical {
    static func file(_ model: Mapping, paths: PathResolver) throws(CoveError) -> Mapping {
        var out = model
        if let services = model["services"], case .mapping(let list) = services.value {
            let syntax = ServiceSyntax(paths: paths)
            let entries = list.map { (name: $0.key, node: $0.value) }
            let canonical = try Parallel.map(entries) { entry throws(CoveError) in
                try syntax.canonical(entry.node, name: entry.name)
            }
            var rebuilt = Mapping()
            for (entry, node) in zip(entries, canonical) {
                rebuilt.set(entry.name, node, keyAt: list.location(ofKey: entry.name) ?? node.location)
            }
            out["services"] = Node(.mapping(rebuilt), at: services.location, tag: services.mergeTag)
        }
        return resources(out, paths: paths)
    }

    /// The top-level networks, volumes, secrets and configs in canonical form.
    static func resources(_ model: Mapping, paths: PathResolver) -> Mapping {
        var out = model
        for kind in ["networks", "volumes", "secrets", "configs"] {
            guard let section = model[kind], case .mapping(let list) = section.value else { continue }
            var canonical = Mapping()
            for (name, resource) in list {
                canonical.set(
                    name, resourceCanonical(resource, kind: kind, paths: paths),
                    keyAt: list.location(ofKey: name) ?? resource.location)
            }
            out[kind] = Node(.mapping(canonical), at: section.location, tag: section.mergeTag)
        }
        return out
    }

    /// A top-level network, volume, secret or config: null becomes `{}`, the legacy
    /// `external: {name: x}` becomes `external: true` with `name: x`, file paths absolute.
    static func resourceCanonical(_ node: Node, kind: String, paths: PathResolver) -> Node {
        var m = node.mapping ?? Mapping()
        if let external = m["external"], let legacy = external.mapping {
            m["external"] = Node(.bool(true), at: external.location)
            if m["name"] == nil, let name = legacy["name"] { m["name"] = name }
        }
        if kind == "secrets" || kind == "configs", let file = m["file"], let path = file.string {
            m["file"] = .string(paths.resolve(path), at: file.location)
        }
        if kind == "networks", let v = m["labels"],
            let labels = try? ListSyntax.keyValueMapping(v, missing: .empty, field: "labels")
        {
            m["labels"] = labels
        }
        if kind == "volumes", let v = m["labels"],
            let labels = try? ListSyntax.keyValueMapping(v, missing: .empty, field: "labels")
        {
            m["labels"] = labels
        }
        return Node(.mapping(m), at: node.location, tag: node.mergeTag)
    }
}
