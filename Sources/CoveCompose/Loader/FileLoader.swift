import CoveCore

/// The per-file part of the pipeline: read → parse → interpolate → schema → canonical →
/// include → extends. Its result is one file's model in canonical form, ready to merge.
struct FileLoader {
    let source: FileSource
    let environment: Environment
    let interpolate: Bool
    let home: String
    private(set) var warnings: [String] = []
    /// Texts already read, by path (the project's own files are read once, up front).
    var texts: [String: String] = [:]
    /// Whether any file loaded so far used `!reset` or `!override`.
    var sawMergeTags = false
    /// Files already parsed for `extends`, by path, in canonical form with extends applied.
    var extendsCache: [String: Mapping] = [:]

    init(source: FileSource, environment: Environment, interpolate: Bool, home: String) {
        self.source = source
        self.environment = environment
        self.interpolate = interpolate
        self.home = home
    }

    mutating func warn(_ message: String) { warnings.append(message) }

    /// Loads one `-f` (or included) file, relative paths resolved with `paths`.
    mutating func load(_ path: String, paths: PathResolver, includeChain: [String]) throws(CoveError) -> Node {
        var model = try loadCanonical(path, paths: paths)
        let chain = includeChain + [path]
        try applyIncludes(&model, file: path, paths: paths, chain: chain)
        try applyExtends(&model, file: path)
        return Merge.enforceUnicity(.mapping(model, at: SourceLocation(file: path)))
    }

    /// read → parse → interpolate → schema → canonical, for one file.
    mutating func loadCanonical(_ path: String, paths: PathResolver) throws(CoveError) -> Mapping {
        let text: String
        if let known = texts[path] { text = known } else { text = try source.read(path) }
        let file = path == "-" ? "<stdin>" : path
        let parsed = try YAMLParser.parse(text, file: file, sawMergeTags: &sawMergeTags)
        guard parsed.mapping != nil else {
            throw CoveError.invalid(
                "a compose file must be a mapping at the top level, not \(parsed.kindName)", at: parsed.location)
        }
        let stage = FileStage(environment: environment, interpolate: interpolate, paths: paths)
        var (model, unset) = try stage.run(parsed)
        for name in unset { warn(Interpolation.warning(forUnset: name)) }

        if model["version"] != nil {
            warn(
                "\(file): the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"
            )
            model.removeValue(forKey: "version")
        }
        return model
    }
}

/// Canonical form of a whole file: services through `ServiceSyntax`, top-level resources
/// as mappings with their legacy forms rewritten.
enum Canonical {
    static func file(_ model: Mapping, paths: PathResolver) throws(CoveError) -> Mapping {
        var out = model
        if let services = model["services"], case .mapping(let list) = services.value {
            let syntax = ServiceSyntax(paths: paths)
            var canonical = Mapping()
            for (name, service) in list {
                canonical.set(
                    name, try syntax.canonical(service, name: name),
                    keyAt: list.location(ofKey: name) ?? service.location)
            }
            out["services"] = Node(.mapping(canonical), at: services.location, tag: services.mergeTag)
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
