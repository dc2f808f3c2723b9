import CoveCore

/// `include`: other compose projects loaded on their own terms (their own project
/// directory and `.env`) and imported into this file's model. A resource this file
/// defines too is merged over the imported one. Include cycles are errors.
extension FileLoader {
    mutating func applyIncludes(_ model: inout Mapping, file: String, paths: PathResolver, chain: [String])
        throws(CoveError)
    {
        guard let include = model["include"] else { return }
        model.removeValue(forKey: "include")
        guard case .sequence(let entries) = include.value else { return }
        for entry in entries {
            let spec = try IncludeSpec(entry, paths: paths)
            for path in spec.paths where chain.contains(path) {
                let base = PathResolver.directory(of: chain.first ?? path)
                let cycle = (chain.drop(while: { $0 != path }) + [path]).map { PathResolver.relative($0, to: base) }
                throw CoveError.invalid("include cycle: \(cycle.joined(separator: " -> "))", at: entry.location)
            }
            for path in spec.paths where !source.isFile(path) {
                throw CoveError(
                    .notFound, "include: file not found: \(PathResolver.relative(path, to: paths.base))",
                    at: entry.location)
            }
            var env = environment
            let envFiles =
                spec.envFiles
                ?? [PathResolver(base: spec.projectDirectory, home: home).resolve(".env")].filter(source.isFile)
            for envFile in envFiles where envFile != "/dev/null" && !source.isFile(envFile) {
                throw CoveError(
                    .notFound, "include: env file not found: \(PathResolver.relative(envFile, to: paths.base))",
                    at: entry.location)
            }
            for envFile in envFiles where envFile != "/dev/null" {
                let shell = environment
                let text = try source.read(envFile, what: "env file")
                env.addDefaults(try DotEnv.parse(text, file: envFile, lookup: { shell[$0] }))
            }
            var loader = FileLoader(source: source, environment: env, interpolate: interpolate, home: home)
            var imported: Node?
            let includedPaths = PathResolver(base: spec.projectDirectory, home: home)
            for path in spec.paths {
                let tree = try loader.load(path, paths: includedPaths, includeChain: chain)
                imported = imported.map { Merge.merge($0, tree, path: .root) } ?? Merge.untagged(tree)
            }
            for w in loader.warnings { warn(w) }
            if loader.sawMergeTags { sawMergeTags = true }
            guard let importedModel = imported?.mapping else { continue }
            for kind in ["services", "networks", "volumes", "secrets", "configs", "models"] {
                guard let from = importedModel[kind]?.mapping else { continue }
                var to = model[kind]?.mapping ?? Mapping()
                for (name, resource) in from {
                    if let local = to[name] {
                        to.set(
                            name, Merge.merge(resource, local, path: TreePath(keys: kind, name)),
                            keyAt: to.location(ofKey: name) ?? local.location)
                    } else {
                        to.set(name, resource, keyAt: from.location(ofKey: name) ?? resource.location)
                    }
                }
                model[kind] = .mapping(to, at: model[kind]?.location ?? include.location)
            }
        }
    }
}

/// One `include` entry in long form.
struct IncludeSpec {
    var paths: [String]
    var projectDirectory: String
    /// nil: the included project's own `.env`, when it has one.
    var envFiles: [String]?

    init(_ entry: Node, paths resolver: PathResolver) throws(CoveError) {
        func strings(_ node: Node?) -> [String]? {
            guard let node else { return nil }
            if let s = node.string { return [s] }
            return node.sequence?.compactMap(\.string)
        }
        let m = entry.mapping ?? Mapping([("path", entry)])
        guard let paths = strings(m["path"]), let first = paths.first else {
            throw CoveError.invalid("include: each entry needs a path", at: entry.location)
        }
        self.paths = paths.map { resolver.resolve($0) }
        if let dir = m["project_directory"]?.string {
            projectDirectory = resolver.resolve(dir)
        } else {
            projectDirectory = PathResolver.directory(of: resolver.resolve(first))
        }
        envFiles = strings(m["env_file"])?.map { resolver.resolve($0) }
    }
}
