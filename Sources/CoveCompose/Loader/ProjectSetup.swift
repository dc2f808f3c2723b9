import CoveCore
import Foundation

/// The project's frame, worked out before any compose file is parsed: which files, which
/// project directory, which variables (shell over `.env`/`--env-file`), which profiles.
struct ProjectSetup {
    var files: [String]
    var projectDirectory: String
    var environment: Environment
    var profiles: [String]
    var home: String
    var warnings: [String] = []

    static func resolve(_ options: LoadOptions, source: FileSource) throws(CoveError) -> ProjectSetup {
        let cwd = PathResolver(base: options.workingDirectory, home: options.environment["HOME"] ?? "/root")
        let explicitDirectory = options.projectDirectory.map { cwd.resolve($0) }
        let anchor = explicitDirectory.map { cwd.relative(to: $0) } ?? cwd

        var discoveryWarning: String?
        var files = options.files.map { $0 == "-" ? "-" : cwd.resolve($0) }
        if files.isEmpty {
            var composeFile = options.environment["COMPOSE_FILE"]
            if composeFile == nil, source.isFile(anchor.resolve(".env")) {
                let dotEnv = try DotEnv.parse(
                    try source.read(anchor.resolve(".env"), what: "env file"), file: anchor.resolve(".env"))
                composeFile = dotEnv.last(where: { $0.key == "COMPOSE_FILE" })?.value
            }
            if let composeFile, !composeFile.isEmpty {
                files = composeFile.components(separatedBy: options.pathSeparator).filter { !$0.isEmpty }.map {
                    anchor.resolve($0)
                }
                if files.isEmpty {
                    throw CoveError(.invalidInput, "COMPOSE_FILE is set (\"\(composeFile)\") but names no file")
                }
            } else if let found = source.discover(from: anchor.base) {
                files = found.files
                if !found.ignored.isEmpty {
                    discoveryWarning =
                        "Found multiple config files with supported names: \(([found.files[0]] + found.ignored).joined(separator: ", "))\nUsing \(found.files[0])"
                }
            } else {
                throw CoveError(
                    .notFound,
                    "no compose file found in \(anchor.base) or its parents (looked for \(FileSource.candidates.joined(separator: ", ")))"
                )
            }
        }
        let projectDirectory =
            explicitDirectory ?? (files.first.flatMap { $0 == "-" ? nil : PathResolver.directory(of: $0) } ?? cwd.base)

        var environment = Environment(options.environment)
        let envFiles =
            options.envFiles.isEmpty
            ? [PathResolver(base: projectDirectory, home: cwd.home).resolve(".env")].filter(source.isFile)
            : options.envFiles.map { cwd.resolve($0) }
        var fromFiles: [(key: String, value: String)] = []
        let shell = options.environment
        for file in envFiles {
            let text = try source.read(file, what: "env file")
            var known: [String: String] = [:]
            for (k, v) in fromFiles { known[k] = v }
            let snapshot = known
            fromFiles += try DotEnv.parse(text, file: file, lookup: { shell[$0] ?? snapshot[$0] })
        }
        var merged: [String: String] = [:]
        var order: [(key: String, value: String)] = []
        for (k, v) in fromFiles {
            if merged[k] == nil { order.append((k, v)) }
            merged[k] = v
        }
        environment.addDefaults(order.map { ($0.key, merged[$0.key] ?? $0.value) })

        var profiles = options.profiles
        if profiles.isEmpty, let env = environment["COMPOSE_PROFILES"] {
            profiles = env.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return ProjectSetup(
            files: files, projectDirectory: projectDirectory, environment: environment, profiles: profiles,
            home: cwd.home, warnings: discoveryWarning.map { [$0] } ?? [])
    }
}
