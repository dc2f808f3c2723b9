import CoveCore

/// Stage "profiles": services without `profiles` are always on; others only when one of
/// their profiles is active (`--profile`, `COMPOSE_PROFILES`, `*` for all) or when they
/// are named on the command line. Naming services also narrows the project to them and
/// what they depend on.
enum Profiles {
    struct Selection {
        var model: Mapping
        /// Services switched off by profiles (or outside the named services), sorted.
        var disabled: [String]
    }

    static func apply(to model: Mapping, active: [String], requested: [String]) throws(CoveError) -> Selection {
        guard let servicesNode = model["services"], let services = servicesNode.mapping else {
            for name in requested { throw CoveError(.notFound, "no such service: \(name)") }
            return Selection(model: model, disabled: [])
        }
        var activeSet = Set(active)
        for name in requested {
            guard let service = services[name] else {
                throw CoveError(.notFound, "no such service: \(name)" + Suggest.didYouMean(name, services.keys))
            }
            for p in profiles(of: service) { activeSet.insert(p) }
        }
        let requestedSet = Set(requested)
        func enabled(_ name: String, _ service: Node) -> Bool {
            let own = profiles(of: service)
            return own.isEmpty || requestedSet.contains(name) || activeSet.contains("*")
                || own.contains(where: activeSet.contains)
        }
        var disabled: [String] = []
        for (name, service) in services where !enabled(name, service) { disabled.append(name) }
        // Usually every service is on: the mapping is kept as it is, and no dependency can
        // be switched off.
        var kept = services
        if !disabled.isEmpty {
            kept = Mapping()
            for (name, service) in services where enabled(name, service) {
                kept.set(name, service, keyAt: services.location(ofKey: name) ?? service.location)
            }
        }
        for (name, service) in kept where !disabled.isEmpty {
            for (dependency, entry) in service.mapping?["depends_on"]?.mapping ?? Mapping()
            where kept[dependency] == nil && services[dependency] != nil {
                if entry.mapping?["required"]?.bool == false { continue }
                let theirs = profiles(of: services[dependency] ?? .null).joined(separator: ", ")
                throw CoveError.invalid(
                    "service \"\(name)\" depends on service \"\(dependency)\", which is disabled by its profiles (\(theirs)); "
                        + "activate one with --profile, or mark the dependency `required: false`",
                    at: (service.mapping?["depends_on"]?.mapping?.location(ofKey: dependency)) ?? entry.location)
            }
        }
        if !requested.isEmpty {
            var wanted = Set<String>()
            var queue = requested
            while let next = queue.popLast() {
                guard wanted.insert(next).inserted, let service = kept[next] else { continue }
                queue.append(
                    contentsOf: (service.mapping?["depends_on"]?.mapping?.keys ?? []).filter { kept[$0] != nil })
            }
            var narrowed = Mapping()
            for (name, service) in kept {
                if wanted.contains(name) {
                    narrowed.set(name, service, keyAt: kept.location(ofKey: name) ?? service.location)
                } else {
                    disabled.append(name)
                }
            }
            kept = narrowed
        }
        var out = model
        out["services"] = .mapping(kept, at: servicesNode.location)
        return Selection(model: out, disabled: disabled.sorted())
    }

    static func profiles(of service: Node) -> [String] {
        service.mapping?["profiles"]?.sequence?.compactMap(\.scalarText) ?? []
    }

    /// Every profile named by any service, sorted.
    static func all(in model: Mapping) -> [String] {
        var names = Set<String>()
        for (_, service) in model["services"]?.mapping ?? Mapping() {
            for p in profiles(of: service) { names.insert(p) }
        }
        return names.sorted()
    }
}
