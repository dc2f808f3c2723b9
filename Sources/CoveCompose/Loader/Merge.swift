import CoveCore

/// The Compose merge rules, for several `-f` files, `extends` and `include` conflicts.
///
/// Both sides are in canonical (long) form. Mappings merge key by key; lists append and
/// then lose duplicates by the identity of their items (a port by address and target,
/// a volume by target, a secret by target, a name by itself), the later item replacing
/// the earlier in its place; scalars are replaced. `command`, `entrypoint` and
/// `healthcheck.test` are replaced whole. A value tagged `!override` replaces whole; a
/// value tagged `!reset` removes the key.
public enum Merge {
    /// Merges `override` onto `base`; `path` is where both sit in the project.
    public static func merge(_ base: Node, _ override: Node, path: TreePath) -> Node {
        merge(base, override, path: path, tagged: true)
    }

    /// `tagged: false` when no node of either tree can carry a merge tag (no file read
    /// so far had one): the trees are then not searched for tags to remove.
    static func merge(_ base: Node, _ override: Node, path: TreePath, tagged: Bool) -> Node {
        if override.mergeTag == .override { return untagged(override) }
        if override.isNull { return base }
        if replacesWhole(path) { return override }
        switch (base.value, override.value) {
        case (.mapping(let b), .mapping(let o)):
            var out = b
            for (key, value) in o {
                if value.mergeTag == .reset {
                    out.removeValue(forKey: key)
                    continue
                }
                let keyAt = o.location(ofKey: key) ?? value.location
                if let existing = b[key] {
                    out.set(key, merge(existing, value, path: path.appending(key), tagged: tagged), keyAt: keyAt)
                } else {
                    out.set(key, tagged ? untagged(value) : value, keyAt: keyAt)
                }
            }
            return Node(.mapping(out), at: override.location)
        case (.sequence(let b), .sequence(let o)):
            return Node(.sequence(unique(b + (tagged ? o.map(untagged) : o), path: path)), at: override.location)
        default:
            return tagged ? untagged(override) : override
        }
    }

    /// Removes `!reset` values and `!override` tags from a tree that is not merged onto
    /// anything (the first file).
    public static func untagged(_ node: Node) -> Node {
        guard hasTags(node) else { return node }
        var out = node
        out.mergeTag = nil
        switch node.value {
        case .mapping(let m):
            var clean = Mapping()
            for (key, value) in m where value.mergeTag != .reset {
                clean.set(key, untagged(value), keyAt: m.location(ofKey: key) ?? value.location)
            }
            out.value = .mapping(clean)
        case .sequence(let items):
            out.value = .sequence(items.filter { $0.mergeTag != .reset }.map(untagged))
        default:
            break
        }
        return out
    }

    /// Whether any node of the tree carries a merge tag (most files have none).
    static func hasTags(_ node: Node) -> Bool {
        if node.mergeTag != nil { return true }
        switch node.value {
        case .mapping(let m):
            for (_, value) in m where hasTags(value) { return true }
            return false
        case .sequence(let items): return items.contains(where: hasTags)
        default: return false
        }
    }

    static let wholeReplacements: [[String]] = [
        ["services", "*", "command"], ["services", "*", "entrypoint"],
        ["services", "*", "healthcheck", "test"],
    ]

    static func replacesWhole(_ path: TreePath) -> Bool {
        wholeReplacements.contains { path.matches($0) }
    }

    /// How the items of a list are told apart, for the lists whose duplicates merge.
    enum Identity {
        case port, target, secret, path, scalar

        /// The identity used for the list at `listPath`, nil when its items have none.
        init?(listPath: TreePath) {
            let tail = listPath.components.suffix(2).compactMap { c -> String? in
                if case .key(let k) = c { return k }
                return nil
            }
            let field = tail.last ?? ""
            let parent = tail.count == 2 ? tail[0] : ""
            switch field {
            case "ports": self = .port
            case "volumes" where parent != "volumes_from", "devices": self = .target
            case "secrets", "configs": self = .secret
            case "env_file": self = .path
            case "expose", "dns", "dns_opt", "dns_search", "cap_add", "cap_drop", "profiles", "links", "tmpfs",
                "aliases", "link_local_ips", "tags", "platforms", "label_file":
                self = .scalar
            default: return nil
            }
        }

        func of(_ item: Node) -> String? {
            guard let m = item.mapping else { return item.scalarText }
            func text(_ key: String) -> String { m[key]?.scalarText ?? "" }
            switch self {
            case .port: return text("host_ip") + "|" + text("published") + "|" + text("target") + "|" + text("protocol")
            case .target: return text("target")
            case .secret: return text("target").isEmpty ? text("source") : text("target")
            case .path: return text("path")
            case .scalar: return nil
            }
        }
    }

    /// Drops earlier duplicates of a list, the later item taking the earlier one's place.
    static func unique(_ items: [Node], path: TreePath) -> [Node] {
        guard let identity = Identity(listPath: path), let probe = items.first, identity.of(probe) != nil else {
            return items
        }
        var out: [Node] = []
        var index: [String: Int] = [:]
        for item in items {
            guard let key = identity.of(item) else {
                out.append(item)
                continue
            }
            if let i = index[key] {
                out[i] = item
            } else {
                index[key] = out.count
                out.append(item)
            }
        }
        return out
    }

    /// The service lists whose items have an identity, and the nested ones.
    static let uniqueServiceLists = [
        "ports", "volumes", "devices", "secrets", "configs", "env_file", "expose", "dns", "dns_opt",
        "dns_search", "cap_add", "cap_drop", "profiles", "links", "tmpfs", "label_file",
    ]

    static let uniqueServiceListSet = Set(uniqueServiceLists)

    /// Applies `unique` to the lists of every service (duplicates within one file or
    /// left by a merge).
    public static func enforceUnicity(_ node: Node) -> Node {
        guard var model = node.mapping, let services = model["services"]?.mapping else { return node }
        let entries = services.map { (name: $0.key, node: $0.value) }
        let unique = Parallel.map(entries) { entry in uniqueLists(of: entry.node, name: entry.name) }
        var out = Mapping(minimumCapacity: entries.count)
        for (entry, node) in zip(entries, unique) {
            out.set(entry.name, node, keyAt: services.location(ofKey: entry.name) ?? node.location)
        }
        model["services"] = Node(.mapping(out), at: model["services"]?.location ?? node.location)
        return Node(.mapping(model), at: node.location, tag: node.mergeTag)
    }

    /// One service with `unique` applied to its lists (the same node when no list had a
    /// duplicate: `unique` keeps a list without duplicates as it is).
    static func uniqueLists(of service: Node, name: String) -> Node {
        guard var s = service.mapping else { return service }
        var changed = false
        let base = TreePath(keys: "services", name)
        // The service's own keys are walked once (fewer lookups than asking for each list).
        for (field, list) in service.mapping ?? Mapping() where uniqueServiceListSet.contains(field) {
            guard case .sequence(let items) = list.value else { continue }
            let kept = unique(items, path: base.appending(field))
            guard kept.count != items.count else { continue }
            s[field] = Node(.sequence(kept), at: list.location, tag: list.mergeTag)
            changed = true
        }
        if var networks = s["networks"]?.mapping {
            var aliasesChanged = false
            networks.transformValues { _, network in
                guard var n = network.mapping, let aliases = n["aliases"], case .sequence(let items) = aliases.value
                else { return network }
                let kept = unique(items, path: TreePath(keys: "aliases"))
                // A rebuilt list has no merge tag; nor has an unchanged one (as before).
                guard kept.count != items.count || aliases.mergeTag != nil else { return network }
                aliasesChanged = true
                n["aliases"] = Node(.sequence(kept), at: aliases.location)
                return Node(.mapping(n), at: network.location, tag: network.mergeTag)
            }
            if aliasesChanged || s["networks"]?.mergeTag != nil {
                s["networks"] = Node(.mapping(networks), at: s["networks"]?.location ?? service.location)
                changed = true
            }
        }
        return changed ? Node(.mapping(s), at: service.location, tag: service.mergeTag) : service
    }
}
