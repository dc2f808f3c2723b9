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
                    out.set(key, merge(existing, value, path: path.appending(key)), keyAt: keyAt)
                } else {
                    out.set(key, untagged(value), keyAt: keyAt)
                }
            }
            return Node(.mapping(out), at: override.location)
        case (.sequence(let b), .sequence(let o)):
            return Node(.sequence(unique(b + o.map(untagged), path: path)), at: override.location)
        default:
            return untagged(override)
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

    /// The identity of a list item, for the lists whose duplicates merge.
    static func identity(of item: Node, listPath: TreePath) -> String? {
        let tail = listPath.components.suffix(2).compactMap { c -> String? in
            if case .key(let k) = c { return k }
            return nil
        }
        let field = tail.last ?? ""
        let parent = tail.count == 2 ? tail[0] : ""
        func text(_ key: String) -> String { item.mapping?[key]?.scalarText ?? "" }
        switch field {
        case "ports":
            guard item.mapping != nil else { return item.scalarText }
            return "\(text("host_ip"))|\(text("published"))|\(text("target"))|\(text("protocol"))"
        case "volumes" where parent != "volumes_from", "devices":
            return item.mapping == nil ? item.scalarText : text("target")
        case "secrets", "configs":
            return item.mapping == nil ? item.scalarText : (text("target").isEmpty ? text("source") : text("target"))
        case "env_file":
            return item.mapping == nil ? item.scalarText : text("path")
        case "expose", "dns", "dns_opt", "dns_search", "cap_add", "cap_drop", "profiles", "links", "tmpfs",
            "aliases", "link_local_ips", "tags", "platforms", "label_file":
            return item.scalarText
        default:
            return nil
        }
    }

    /// Drops earlier duplicates of a list, the later item taking the earlier one's place.
    static func unique(_ items: [Node], path: TreePath) -> [Node] {
        guard let probe = items.first, identity(of: probe, listPath: path) != nil else { return items }
        var out: [Node] = []
        var index: [String: Int] = [:]
        for item in items {
            guard let key = identity(of: item, listPath: path) else {
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

    /// Applies `unique` to the lists of every service (duplicates within one file or
    /// left by a merge).
    public static func enforceUnicity(_ node: Node) -> Node {
        guard var model = node.mapping, var services = model["services"]?.mapping else { return node }
        services.transformValues { name, service in
            guard var s = service.mapping else { return service }
            let base = TreePath(keys: "services", name)
            for field in uniqueServiceLists {
                guard let list = s[field], case .sequence(let items) = list.value else { continue }
                s[field] = Node(
                    .sequence(unique(items, path: base.appending(field))), at: list.location, tag: list.mergeTag)
            }
            if var networks = s["networks"]?.mapping {
                networks.transformValues { _, network in
                    guard var n = network.mapping, let aliases = n["aliases"], case .sequence(let items) = aliases.value
                    else { return network }
                    n["aliases"] = Node(.sequence(unique(items, path: TreePath(keys: "aliases"))), at: aliases.location)
                    return Node(.mapping(n), at: network.location, tag: network.mergeTag)
                }
                s["networks"] = Node(.mapping(networks), at: s["networks"]?.location ?? service.location)
            }
            return Node(.mapping(s), at: service.location, tag: service.mergeTag)
        }
        model["services"] = Node(.mapping(services), at: model["services"]?.location ?? node.location)
        return Node(.mapping(model), at: node.location, tag: node.mergeTag)
    }
}
