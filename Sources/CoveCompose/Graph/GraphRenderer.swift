import CoveCore

/// Renders a `ServiceGraph` for people (`text`) and for Graphviz (`dot`).
///
/// ## Text
///
/// Two sections. First the start order, one numbered line per level (numbered from 1, names
/// sorted); the services of one line start in parallel once the lines above are up:
///
/// ```
/// start order (each level starts in parallel):
///   1. cache, db
///   2. api, worker
///   3. admin, web
/// ```
///
/// Then a tree of dependencies under each root (a service nothing depends on), roots in name
/// order, children in name order:
///
/// ```
/// dependencies:
/// admin
/// └── api
///     ├── cache
///     └── db (service_healthy)
/// web
/// ├── api …
/// └── worker (optional)
///     └── db (service_healthy)
/// ```
///
/// A child is annotated with its condition when it is not `service_started`, and with
/// `optional` for `required: false`. A service whose dependencies were already drawn once is
/// drawn again only as its name followed by ` …`: look for it above. Services without
/// dependencies are simply repeated. The output therefore has one line per edge and root.
/// An empty graph renders as `no services`.
///
/// With `color: true` the section titles and roots are bold, annotations yellow, and tree
/// lines, level numbers and ` …` dim (ANSI escapes). Without it there are no escape codes.
///
/// ## DOT
///
/// A `digraph` named after the project, left to right, boxes for services; every service as
/// a node (so isolated services show), then every edge from the service to what it depends
/// on, both sorted by name. An edge whose condition is not `service_started` is labelled
/// with the condition and drawn bold; an optional edge is dashed. Names are always quoted,
/// with `"` and `\` escaped.
public enum GraphRenderer {
    /// The start order and dependency trees as text; see the type's documentation.
    public static func text(_ g: ServiceGraph, color: Bool = false) -> String {
        guard !g.services.isEmpty else { return "no services\n" }
        let style = Style(enabled: color)
        var out = style.bold("start order (each level starts in parallel):") + "\n"
        let width = String(g.startLevels.count).count
        for (number, level) in g.startLevels.enumerated() {
            let label = String(number + 1)
            let padding = String(repeating: " ", count: width - label.count)
            out += "  " + padding + style.dim(label + ".") + " " + level.joined(separator: ", ")
            out += "\n"
        }
        out += "\n" + style.bold("dependencies:") + "\n"
        var expanded = Set<String>()
        for root in g.roots {
            out += style.bold(root) + "\n"
            expanded.insert(root)
            appendTree(of: root, in: g, style: style, expanded: &expanded, to: &out)
        }
        return out
    }

    /// A Graphviz `digraph`; see the type's documentation.
    public static func dot(_ g: ServiceGraph, projectName: String) -> String {
        var out = "digraph \(quote(projectName)) {\n"
        out += "  rankdir=LR;\n"
        out += "  node [shape=box];\n"
        for service in g.services {
            out += "  \(quote(service));\n"
        }
        for edge in g.allEdges {
            var attributes: [String] = []
            var styles: [String] = []
            if edge.condition != DependencyEdge.serviceStarted {
                attributes.append("label=\(quote(edge.condition))")
                styles.append("bold")
            }
            if !edge.required { styles.append("dashed") }
            if !styles.isEmpty {
                attributes.append("style=\(quote(styles.joined(separator: ",")))")
            }
            out += "  \(quote(edge.service)) -> \(quote(edge.dependency))"
            if !attributes.isEmpty { out += " [" + attributes.joined(separator: ", ") + "]" }
            out += ";\n"
        }
        out += "}\n"
        return out
    }

    // MARK: - Text tree

    /// Appends the dependencies of `root`, depth first, with an explicit stack so that a
    /// deep chain cannot overflow the call stack.
    private static func appendTree(
        of root: String, in g: ServiceGraph, style: Style,
        expanded: inout Set<String>, to out: inout String
    ) {
        // Each frame: the edges still to draw at one depth and the prefix of their lines.
        var stack: [(edges: [DependencyEdge], next: Int, prefix: String)] = [
            (g.dependencies(of: root), 0, "")
        ]
        while let frame = stack.last {
            guard frame.next < frame.edges.count else {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next = frame.next + 1
            let edge = frame.edges[frame.next]
            let isLast = frame.next == frame.edges.count - 1
            let children = g.dependencies(of: edge.dependency)
            let repeated = !children.isEmpty && expanded.contains(edge.dependency)

            var line = style.dim(frame.prefix + (isLast ? "└── " : "├── ")) + edge.dependency
            var notes: [String] = []
            if edge.condition != DependencyEdge.serviceStarted { notes.append(edge.condition) }
            if !edge.required { notes.append("optional") }
            if !notes.isEmpty {
                line += " " + style.yellow("(" + notes.joined(separator: ", ") + ")")
            }
            if repeated { line += style.dim(" …") }
            out += line + "\n"

            if !children.isEmpty && !repeated {
                expanded.insert(edge.dependency)
                stack.append((children, 0, frame.prefix + (isLast ? "    " : "│   ")))
            }
        }
    }

    /// ANSI styling that does nothing when disabled.
    private struct Style {
        var enabled: Bool

        func bold(_ text: String) -> String { wrap(text, "1") }
        func dim(_ text: String) -> String { wrap(text, "2") }
        func yellow(_ text: String) -> String { wrap(text, "33") }

        private func wrap(_ text: String, _ code: String) -> String {
            enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
        }
    }

    // MARK: - DOT quoting

    /// A DOT double-quoted string. Inside one only `\"` is an escape for the parser, but
    /// labels also interpret backslash escapes, so a backslash is doubled (which also keeps
    /// a trailing backslash from swallowing the closing quote), and line breaks become `\n`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
