import ArgumentParser
import CoveCompose
import CoveCore
import Foundation

/// `cove config`: loads, validates and prints the project in its normalized form, as
/// `docker compose config` does.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Parse, resolve and render the compose file in canonical form."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml, json
    }

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output format: yaml or json.")
    var format: Format = .yaml

    @Flag(name: [.customShort("q"), .long], help: "Only validate the configuration; print nothing.")
    var quiet = false

    @Flag(help: "Print the service names, one per line, in start order.")
    var services = false

    @Flag(help: "Print the volume names, one per line.")
    var volumes = false

    @Flag(help: "Print the network names, one per line.")
    var networks = false

    @Flag(help: "Print the profile names, one per line.")
    var profiles = false

    @Flag(help: "Print the image names, one per line.")
    var images = false

    @Option(
        help: ArgumentHelp(
            "Print the config hash of these services (comma-separated, or \"*\").", valueName: "services"))
    var hash: String?

    @Flag(name: .customLong("no-interpolate"), help: "Do not substitute variables.")
    var noInterpolate = false

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write the output to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Argument(help: "Only these services and their dependencies.")
    var serviceNames: [String] = []

    func run() throws {
        let loaded = try project.load(services: serviceNames, interpolate: !noInterpolate)
        if quiet { return }
        if output == nil, format == .yaml, !printsList {
            // The big case: written as the writer's bytes, without a round trip through a String.
            FileHandle.standardOutput.write(Data(YAMLWriter.bytes(loaded.node, escapeDollars: !noInterpolate)))
            return
        }
        let text = try render(loaded)
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CoveError(.io, "cannot write \(output)", cause: error.localizedDescription)
            }
        } else {
            Output.write(text)
        }
    }

    /// Whether a flag asks for a list (names, hashes) instead of the configuration.
    private var printsList: Bool { services || volumes || networks || profiles || images || hash != nil }

    private func render(_ project: Project) throws(CoveError) -> String {
        func lines(_ items: [String]) -> String { items.map { $0 + "\n" }.joined() }
        let startOrder = project.graph.startLevels.flatMap { $0 }
        if services { return lines(startOrder) }
        if volumes { return lines(project.resourceNames("volumes")) }
        if networks { return lines(project.resourceNames("networks")) }
        if profiles { return lines(project.allProfiles) }
        if images { return lines(startOrder.compactMap { project.service(named: $0)?.imageName }) }
        if let hash {
            let wanted = hash == "*" ? project.services.map(\.name) : hash.split(separator: ",").map(String.init)
            var out = ""
            for name in wanted {
                guard let service = project.service(named: name) else {
                    throw CoveError(.notFound, "no such service: \(name)")
                }
                out += "\(service.name) \(service.configHash)\n"
            }
            return out
        }
        switch format {
        case .yaml: return YAMLWriter.write(project.node, escapeDollars: !noInterpolate)
        case .json: return JSONWriter.write(project.node, escapeDollars: !noInterpolate) + "\n"
        }
    }
}
