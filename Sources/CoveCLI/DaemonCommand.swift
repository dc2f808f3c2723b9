import ArgumentParser
import CoveCore
import CoveEngine
import Foundation

/// `cove daemon`: runs the engine in the foreground, serving the Docker Engine API on a UNIX
/// socket until SIGTERM or SIGINT.
struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the Cove engine: serve the Docker Engine API on a UNIX socket.",
        discussion: """
            The state root is --root, else $COVE_ROOT, else \(DaemonConfiguration.defaultRoot). \
            One daemon serves a root at a time. SIGTERM or SIGINT stops it cleanly.
            """
    )

    @Option(help: ArgumentHelp("State directory (default: $COVE_ROOT or /var/lib/cove).", valueName: "dir"))
    var root: String?

    @Option(help: ArgumentHelp("UNIX socket to serve the API on (default: /run/cove/cove.sock).", valueName: "path"))
    var socket: String?

    @Flag(help: "Log every request.")
    var debug = false

    @Option(
        name: .customLong("insecure-registry"),
        help: ArgumentHelp("A registry to reach over plain HTTP (repeatable).", valueName: "host[:port]"))
    var insecureRegistries: [String] = []

    @Option(
        name: .customLong("cgroup-parent"),
        help: ArgumentHelp("The cgroup that holds the containers' cgroups (default: cove).", valueName: "name"))
    var cgroupParent: String?

    func run() throws {
        var configuration = try DaemonConfiguration.resolve(
            root: root, socket: socket, debug: debug, version: CoveCommand.version,
            environment: ProcessInfo.processInfo.environment,
            workingDirectory: FileManager.default.currentDirectoryPath)
        configuration.insecureRegistries = try DaemonConfiguration.validateInsecureRegistries(insecureRegistries)
        if let cgroupParent {
            configuration.cgroupParent = try DaemonConfiguration.validateCgroupParent(cgroupParent)
        }
        try Daemon(configuration: configuration).run()
    }
}
