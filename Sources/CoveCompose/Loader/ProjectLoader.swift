import CoveCore
import Dispatch

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
        // The schema compiles (about 10 ms) while the files are read and parsed.
        DispatchQueue.global(qos: .userInitiated).async { _ = ComposeSchema.validator }
        var setup = try ProjectSetup.resolve(options, source: source)
        var warnings = Warnings()
        warnings.append(contentsOf: setup.warnings)
        var texts: [String: String] = [:]
        for file in setup.files where file != "-" { texts[file] = try source.read(file) }
        if let early = try earlyProjectName(options, setup: setup, texts: texts) {
            setup.environment.override([("COMPOSE_PROJECT_NAME", early)])
        }
        var fileLoader = FileLoader(
            source: source, environment: setup.environment, interpolate: options.interpolate,
            home: setup.home)
        fileLoader.texts = texts
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
            flag: options.projectName, environment: setup.environment,
            model: merged, directory: setup.projectDirectory)
        merged.removeValue(forKey: "name")
        let allProfiles = Profiles.all(in: merged)
        let selection = try Profiles.apply(
            to: merged, active: setup.profiles, requested: options.services)
        var normalizer = Normalizer(
            projectName: name, environment: setup.environment, source: source,
            interpolate: options.interpolate)
        let normalized = try normalizer.normalize(selection.model)
        let disabled = selection.disabled
        Reclaim.later((consume model, consume merged, consume selection))
        warnings.append(contentsOf: normalizer.warnings)
        try SemanticValidation.check(normalized)
        let project = try Project(
            name: name, workingDirectory: setup.projectDirectory, configFiles: setup.files,
            model: normalized, disabledServices: disabled, allProfiles: allProfiles,
            environment: setup.environment)
        return Result(project: project, warnings: warnings.messages)
    }
}

extension ProjectLoader {
    /// The project name as interpolation sees it in `COMPOSE_PROJECT_NAME`: Compose
    /// settles the name before it substitutes variables. Only when the files use that
    /// variable and the name is not given by flag or environment are the files' top-level
    /// `name` keys read first.
    func earlyProjectName(_ options: LoadOptions, setup: ProjectSetup, texts: [String: String]) throws(CoveError)
        -> String?
    {
        if let flag = options.projectName { return ProjectName.isValid(flag) ? flag : nil }
        if let env = setup.environment["COMPOSE_PROJECT_NAME"], !env.isEmpty { return nil }
        let using = setup.files.compactMap { file in texts[file].map { (file, $0) } }
            .filter { YAMLEvents.contains($0.1, "COMPOSE_PROJECT_NAME") }
        guard !using.isEmpty else { return nil }
        var model = Mapping()
        for (file, text) in using {
            guard let name = try? YAMLParser.parse(text, file: file).mapping?["name"] else { continue }
            var interpolation = Interpolation(environment: setup.environment)
            model["name"] = options.interpolate ? try interpolation.apply(name, path: TreePath(keys: "name")) : name
        }
        return try ProjectName.resolve(
            flag: nil, environment: setup.environment, model: model, directory: setup.projectDirectory)
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
