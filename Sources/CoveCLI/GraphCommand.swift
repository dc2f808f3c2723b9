import ArgumentParser
import CoveCompose

/// `cove graph`: the services' dependency graph, as a tree with start levels or as DOT.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Show the services' dependency graph and start order."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, dot
    }

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output format: text or dot (Graphviz).")
    var format: Format = .text

    @Argument(help: "Only these services and their dependencies.")
    var services: [String] = []

    func run() throws {
        let loaded = try project.load(services: services)
        switch format {
        case .text: Output.write(GraphRenderer.text(loaded.graph, color: Output.colorEnabled))
        case .dot: Output.write(GraphRenderer.dot(loaded.graph, projectName: loaded.name))
        }
    }
}
