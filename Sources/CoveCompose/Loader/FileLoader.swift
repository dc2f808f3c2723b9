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
        // `applyExtends` has made the lists of every service unique too.
        return .mapping(model, at: SourceLocation(file: path))
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
        Reclaim.later(parsed)
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
