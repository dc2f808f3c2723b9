import CoveCore

/// Loads a Compose project: the whole pipeline from files to a validated `Project`.
///
/// parse → interpolate → schema → canonical → include → extends (per file) → merge
/// (across files) → profiles → normalize → semantic checks → `Project`.
public struct ProjectLoader: Sendable {
    public var source: FileSource

    public init(source: FileSource = FileSource()) {
        self.source = source
    }

    /// The result of a load: the project and the warnings to print.
    public struct Result: Sendable {
        public var project: Project
        public var warnings: [String]
    }

    public func load(_ options: LoadOptions) throws(CoveError) -> Result {
        let setup = try ProjectSetup.resolve(options, source: source)
        var warnings = Warnings()
        var fileLoader = FileLoader(
            source: source, environment: setup.environment, interpolate: options.interpolate,
            home: setup.home)
        var model: Node?
        for file in setup.files {
            let paths = PathResolver(base: setup.projectDirectory, home: setup.home)
            let tree = try fileLoader.load(file, paths: paths, includeChain: [])
            if let base = model {
                model = Merge.enforceUnicity(Merge.merge(base, tree, path: .root))
            } else {
                model = fileLoader.sawMergeTags ? Merge.untagged(tree) : tree
            }
        }
        warnings.append(contentsOf: fileLoader.warnings)
        guard var merged = model?.mapping else {
            throw CoveError.invalid("no compose file to load", at: nil)
        }
        let name = try ProjectName.resolve(
            flag: options.projectName, environment: setup.environment, model: merged,
            directory: setup.projectDirectory)
        merged.removeValue(forKey: "name")
        let allProfiles = Profiles.all(in: merged)
        let selection = try Profiles.apply(
            to: merged, active: setup.profiles, requested: options.services)
        var normalizer = Normalizer(
            projectName: name, environment: setup.environment, source: source,
            interpolate: options.interpolate)
        let normalized = try normalizer.normalize(selection.model)
        warnings.append(contentsOf: normalizer.warnings)
        try SemanticValidation.check(normalized)
        let project = try Project(
            name: name, workingDirectory: setup.projectDirectory, configFiles: setup.files,
            model: normalized, disabledServices: selection.disabled, allProfiles: allProfiles,
            environment: setup.environment)
        return Result(project: project, warnings: warnings.messages)
    }
}

/// Warnings in the order they were met, without repeats.
struct Warnings {
    private(set) var messages: [String] = []
    private var seen: Set<String> = []

    mutating func append(_ message: String) {
        if seen.insert(message).inserted { messages.append(message) }
    }

    mutating func append(contentsOf list: [String]) {
        for m in list { append(m) }
    }
}
