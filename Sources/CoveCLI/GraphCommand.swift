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

    @ParentCommand var root: CoveCommand

    @Option(help: "Output format: text or dot (Graphviz).")
    var format: Format = .text

    @Argument(help: "Only these services and their dependencies.")
    var services: [String] = []

    func run() throws {
        let project = try root.project.load(services: services)
        switch format {
        case .text: Output.write(GraphRenderer.text(project.graph, color: Output.colorEnabled))
        case .dot: Output.write(GraphRenderer.dot(project.graph, projectName: project.name))
        }
    }
}
