import CoveCore
import Foundation

/// `extends`: a service takes another service (of this file or another one) as its base
/// and is merged over it by the Compose merge rules. Chains are followed; cycles are
/// errors that print the whole chain.
extension FileLoader {
    /// Applies `extends` to every service of the file, then `Merge.uniqueLists` (the
    /// unicity `Merge.enforceUnicity` gives a whole model), in the same parallel pass.
    mutating func applyExtends(_ model: inout Mapping, file: String) throws(CoveError) {
        guard let services = model["services"]?.mapping else { return }
        var resolved: [String: Node] = [:]
        // Every chain is checked and every base resolved in file order (so errors come in
        // that order); the services' own merges, independent of each other, run after.
        var pending: [String: (base: Node, own: Node)] = [:]
        for name in services.keys where resolved[name] == nil {
            guard let (base, own) = try prepareExtends(name, in: services, file: file, resolved: &resolved, stack: [])
            else { continue }
            pending[name] = (base, own)
        }
        let tagged = sawMergeTags
        let entries = services.map { entry in
            (name: entry.key, node: resolved[entry.key] ?? entry.value, merge: pending[entry.key])
        }
        let done = Parallel.map(entries) { entry in
            var node = entry.node
            if let (base, own) = entry.merge.map(FileLoader.withoutExtends) {
                node = Merge.merge(base, own, path: TreePath(keys: "services", entry.name), tagged: tagged)
            }
            return Merge.uniqueLists(of: node, name: entry.name)
        }
        var out = Mapping(minimumCapacity: entries.count)
        for (entry, node) in zip(entries, done) {
            out.set(entry.name, node, keyAt: services.location(ofKey: entry.name) ?? node.location)
        }
        let replaced = model["services"]
        model["services"] = .mapping(out, at: replaced?.location ?? SourceLocation(file: file))
        Reclaim.later(replaced)
    }

    /// The service `name` of `services` (from `file`) with its `extends` chain applied.
    private mutating func resolveExtends(
        _ name: String, in services: Mapping, file: String, resolved: inout [String: Node], stack: [String]
    ) throws(CoveError) -> Node {
        if let done = resolved[name] { return done }
        guard let prepared = try prepareExtends(name, in: services, file: file, resolved: &resolved, stack: stack)
        else { return services[name] ?? .null }
        let (base, own) = FileLoader.withoutExtends(prepared)
        let merged = Merge.merge(base, own, path: TreePath(keys: "services", name), tagged: sawMergeTags)
        resolved[name] = merged
        return merged
    }

    /// What the service `name` is merged from: its base with the chain applied and its own
    /// definition (`withoutExtends` makes them ready to merge); nil when it extends nothing.
    private mutating func prepareExtends(
        _ name: String, in services: Mapping, file: String, resolved: inout [String: Node], stack: [String]
    ) throws(CoveError) -> (base: Node, own: Node)? {
        guard let service = services[name] else {
            throw CoveError.invalid("service \"\(name)\" not found in \(file)", at: SourceLocation(file: file))
        }
        guard let extends = service.mapping?["extends"] else { return nil }
        let frame = "\(name) (\(PathResolver.lastComponent(of: file)))"
        guard let base = extends.mapping?["service"]?.string else {
            throw CoveError.invalid("extends of service \"\(name)\" needs a \"service\" key", at: extends.location)
        }
        let baseNode: Node
        if let other = extends.mapping?["file"]?.string {
            let otherPath = PathResolver(base: PathResolver.directory(of: file), home: home).resolve(other)
            let otherServices = try extendsFile(otherPath, at: extends.location, stack: stack + [frame])
            guard otherServices[base] != nil else {
                throw CoveError.invalid(
                    "cannot extend service \"\(name)\": service \"\(base)\" not found in \(otherPath)"
                        + Suggest.didYouMean(base, otherServices.keys), at: extends.location)
            }
            let key = "\(base) (\(PathResolver.lastComponent(of: otherPath)))"
            if stack.contains(key) || key == frame {
                throw CoveError.invalid(
                    "circular extends: \((stack + [frame, key]).joined(separator: " -> "))", at: extends.location)
            }
            var otherResolved: [String: Node] = [:]
            baseNode = try resolveExtends(
                base, in: otherServices, file: otherPath, resolved: &otherResolved, stack: stack + [frame])
        } else {
            guard services[base] != nil else {
                throw CoveError.invalid(
                    "cannot extend service \"\(name)\": service \"\(base)\" not found"
                        + Suggest.didYouMean(base, services.keys), at: extends.location)
            }
            let key = "\(base) (\(PathResolver.lastComponent(of: file)))"
            if stack.contains(key) || key == frame {
                let chain = (stack + [frame, key]).map {
                    $0.replacingOccurrences(of: " (\(PathResolver.lastComponent(of: file)))", with: "")
                }
                throw CoveError.invalid("circular extends: \(chain.joined(separator: " -> "))", at: extends.location)
            }
            baseNode = try resolveExtends(base, in: services, file: file, resolved: &resolved, stack: stack + [frame])
        }
        return (baseNode, service)
    }

    /// A base and a service as `prepareExtends` found them, both without `extends` (done
    /// apart from the checks, so that it runs with the merges, in parallel).
    private static func withoutExtends(_ pair: (base: Node, own: Node)) -> (base: Node, own: Node) {
        var base = pair.base
        if var baseMapping = base.mapping {
            baseMapping.removeValue(forKey: "extends")
            base.value = .mapping(baseMapping)
        }
        var own = pair.own.mapping ?? Mapping()
        own.removeValue(forKey: "extends")
        return (base, Node(.mapping(own), at: pair.own.location))
    }

    /// The services of another file named by `extends.file`, canonical with paths relative
    /// to that file (its own includes are not applied, as in Compose).
    private mutating func extendsFile(_ path: String, at location: SourceLocation, stack: [String]) throws(CoveError)
        -> Mapping
    {
        if let cached = extendsCache[path] { return cached }
        guard source.isFile(path) else {
            throw CoveError(.notFound, "extends: file not found: \(path)", at: location)
        }
        let model = try loadCanonical(path, paths: PathResolver(base: PathResolver.directory(of: path), home: home))
        let services = model["services"]?.mapping ?? Mapping()
        extendsCache[path] = services
        return services
    }
}
