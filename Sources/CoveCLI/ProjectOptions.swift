import ArgumentParser
import CoveCompose
import Foundation

/// The flags that choose and shape the project, shared by every Compose command.
public struct ProjectOptions: ParsableArguments {
    @Option(
        name: [.customShort("f"), .customLong("file")],
        help: ArgumentHelp("Compose configuration file (repeatable; - for standard input).", valueName: "file"))
    public var files: [String] = []

    @Option(name: [.customShort("p"), .customLong("project-name")], help: "Project name.")
    public var projectName: String?

    @Option(
        name: .customLong("project-directory"),
        help: ArgumentHelp(
            "Alternate working directory (default: the first compose file's directory).", valueName: "dir"))
    public var projectDirectory: String?

    @Option(name: .customLong("profile"), help: ArgumentHelp("Profile to enable (repeatable).", valueName: "name"))
    public var profiles: [String] = []

    @Option(
        name: .customLong("env-file"), help: ArgumentHelp("Alternate environment file (repeatable).", valueName: "file")
    )
    public var envFiles: [String] = []

    public init() {}

    /// The loader options these flags, the process environment and the working directory make.
    public func loadOptions(services: [String] = [], interpolate: Bool = true) -> LoadOptions {
        var options = LoadOptions()
        options.files = files
        options.projectName = projectName
        options.projectDirectory = projectDirectory
        options.profiles = profiles
        options.envFiles = envFiles
        options.services = services
        options.interpolate = interpolate
        options.environment = ProcessInfo.processInfo.environment
        options.workingDirectory = FileManager.default.currentDirectoryPath
        return options
    }

    /// Loads the project, printing the loader's warnings on stderr.
    public func load(services: [String] = [], interpolate: Bool = true) throws -> Project {
        let result = try ProjectLoader().load(loadOptions(services: services, interpolate: interpolate))
        for warning in result.warnings { Output.error("warning: \(warning)") }
        ProcessLifetime.keep(result.project)
        return result.project
    }
}
