import CoveCompose
import CoveCore
import Foundation
import Testing

/// An edge `service -> dependency` at a made-up line of `compose.yaml`.
private func edge(
    _ service: String, _ dependency: String, _ condition: String = "service_started",
    required: Bool = true, line: Int = 1
) -> DependencyEdge {
    DependencyEdge(
        service: service, dependency: dependency, condition: condition, required: required,
        location: SourceLocation(file: "compose.yaml", line: line, column: 5))
}

/// The error thrown when building the graph, or nil when it builds.
private func buildError(_ services: [String], _ edges: [DependencyEdge]) -> CoveError? {
    do {
        _ = try ServiceGraph(services: services, edges: edges)
        return nil
    } catch {
        return error
    }
}

/// web -> api, web -> worker (optional); admin -> api; api -> db (healthy), api -> cache;
/// worker -> db (healthy).
private func demo() throws -> ServiceGraph {
    try ServiceGraph(
        services: ["web", "api", "worker", "db", "cache", "admin"],
        edges: [
            edge("web", "worker", required: false),
            edge("web", "api"),
            edge("admin", "api"),
            edge("api", "db", "service_healthy"),
            edge("api", "cache"),
            edge("worker", "db", "service_healthy"),
        ])
}

/// s00000 -> s00001 -> … -> s(count-1): depth-first search from the first name goes deep.
private func chainEdges(_ count: Int) -> (services: [String], edges: [DependencyEdge]) {
    let names = (0..<count).map {
        "s" + String(repeating: "0", count: 5 - String($0).count) + String($0)
    }
    let edges = (1..<count).map { edge(names[$0 - 1], names[$0]) }
    return (names, edges)
}

@Suite struct ServiceGraphTests {
    // MARK: Levels

    @Test func diamondLevels() throws {
        let g = try ServiceGraph(
            services: ["web", "a", "b", "db"],
            edges: [edge("web", "a"), edge("web", "b"), edge("a", "db"), edge("b", "db")])
        #expect(g.services == ["a", "b", "db", "web"])
        #expect(g.startLevels == [["db"], ["a", "b"], ["web"]])
        #expect(g.stopLevels == [["web"], ["a", "b"], ["db"]])
    }

    @Test func levelIsOnePlusDeepestDependency() throws {
        let g = try demo()
        #expect(g.startLevels == [["cache", "db"], ["api", "worker"], ["admin", "web"]])
    }

    @Test func chainLevels() throws {
        let g = try ServiceGraph(
            services: ["c", "b", "a"], edges: [edge("c", "b"), edge("b", "a")])
        #expect(g.startLevels == [["a"], ["b"], ["c"]])
        #expect(g.stopLevels == [["c"], ["b"], ["a"]])
    }

    @Test func independentServicesShareLevelZero() throws {
        let g = try ServiceGraph(services: ["z", "m", "a", "m"], edges: [])
        #expect(g.services == ["a", "m", "z"])
        #expect(g.startLevels == [["a", "m", "z"]])
        #expect(g.closure(of: ["m"]) == ["m"])
    }

    @Test func emptyGraph() throws {
        let g = try ServiceGraph(services: [], edges: [])
        #expect(g.startLevels.isEmpty)
        #expect(g.stopLevels.isEmpty)
        #expect(GraphRenderer.text(g) == "no services\n")
    }

    // MARK: Queries

    @Test func dependenciesAndDependents() throws {
        let g = try demo()
        #expect(g.dependencies(of: "api").map(\.dependency) == ["cache", "db"])
        #expect(
            g.dependencies(of: "api").map(\.condition) == ["service_started", "service_healthy"])
        #expect(g.dependencies(of: "db").isEmpty)
        #expect(g.dependencies(of: "nope").isEmpty)
        #expect(g.dependents(of: "db") == ["api", "worker"])
        #expect(g.dependents(of: "api") == ["admin", "web"])
        #expect(g.dependents(of: "web").isEmpty)
    }

    @Test func duplicateEdgesAreKeptOnce() throws {
        let g = try ServiceGraph(
            services: ["a", "b"],
            edges: [edge("a", "b", "service_healthy", line: 2), edge("a", "b", line: 3)])
        #expect(g.dependencies(of: "a").count == 1)
        #expect(g.dependencies(of: "a").first?.condition == "service_healthy")
        #expect(g.dependents(of: "b") == ["a"])
    }

    @Test func closure() throws {
        let g = try demo()
        #expect(g.closure(of: ["web"]) == ["api", "cache", "db", "web", "worker"])
        #expect(g.closure(of: ["worker"]) == ["db", "worker"])
        #expect(g.closure(of: ["db", "cache"]) == ["cache", "db"])
        #expect(
            g.closure(of: ["admin", "worker", "admin"]) == [
                "admin", "api", "cache", "db", "worker",
            ])
        #expect(g.closure(of: ["unknown"]).isEmpty)
        #expect(g.closure(of: []).isEmpty)
    }

    // MARK: Errors

    @Test func twoCycle() {
        let error = buildError(["a", "b"], [edge("b", "a", line: 4), edge("a", "b", line: 2)])
        #expect(error?.message == "dependency cycle: a -> b -> a")
        #expect(error?.code == .invalidInput)
        #expect(error?.location?.line == 2)
        #expect(error?.description == "compose.yaml:2:5: dependency cycle: a -> b -> a")
    }

    @Test func threeCycleStartsAtFirstName() {
        let error = buildError(
            ["x", "m", "c"],
            [edge("x", "m", line: 3), edge("m", "c", line: 6), edge("c", "x", line: 9)])
        #expect(error?.message == "dependency cycle: c -> x -> m -> c")
        #expect(error?.location?.line == 9)
    }

    @Test func selfLoop() {
        let error = buildError(["a", "b"], [edge("a", "b"), edge("b", "b", line: 7)])
        #expect(error?.message == "dependency cycle: b -> b")
        #expect(error?.location?.line == 7)
    }

    @Test func cycleReachableOnlyFromOutside() {
        // a is not on the cycle; the search enters it at c, yet the message starts at b.
        let error = buildError(
            ["a", "b", "c", "d"],
            [
                edge("a", "c", line: 1), edge("c", "d", line: 2), edge("d", "b", line: 3),
                edge("b", "c", line: 4),
            ])
        #expect(error?.message == "dependency cycle: b -> c -> d -> b")
        #expect(error?.location?.line == 4)
    }

    @Test func firstCycleIsReportedDeterministically() {
        let edges = [edge("y", "z"), edge("z", "y"), edge("b", "a"), edge("a", "b")]
        #expect(
            buildError(["a", "b", "y", "z"], edges)?.message == "dependency cycle: a -> b -> a")
        #expect(
            buildError(["z", "y", "b", "a"], edges.reversed())?.message
                == "dependency cycle: a -> b -> a")
    }

    @Test func unknownDependency() {
        let error = buildError(["web", "db"], [edge("web", "db"), edge("web", "dbx", line: 8)])
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "service \"web\" depends on undefined service \"dbx\"")
        #expect(error?.service == "web")
        #expect(error?.location?.line == 8)
        #expect(
            error?.description
                == "compose.yaml:8:5: service \"web\" depends on undefined service \"dbx\"")
    }

    @Test func unknownDependent() {
        let error = buildError(["db"], [edge("ghost", "db", line: 2)])
        #expect(error?.message == "undefined service \"ghost\" depends on \"db\"")
        #expect(error?.location?.line == 2)
    }

    // MARK: Scale

    @Test func tenThousandChainDoesNotOverflow() throws {
        let (services, edges) = chainEdges(10_000)
        let g = try ServiceGraph(services: services.reversed(), edges: edges.reversed())
        #expect(g.startLevels.count == 10_000)
        #expect(g.startLevels.first == ["s09999"])
        #expect(g.startLevels.last == ["s00000"])
        #expect(g.closure(of: ["s00000"]).count == 10_000)
        #expect(g.closure(of: ["s09998"]) == ["s09998", "s09999"])
        #expect(GraphRenderer.dot(g, projectName: "big").split(separator: "\n").count == 20_003)
    }

    @Test func tenThousandCycleIsReported() {
        let (services, edges) = chainEdges(10_000)
        let error = buildError(services, edges + [edge("s09999", "s00000", line: 99)])
        #expect(error?.message.hasPrefix("dependency cycle: s00000 -> s00001 -> ") == true)
        #expect(error?.message.hasSuffix(" -> s09999 -> s00000") == true)
        #expect(error?.location?.line == 1)
    }

    @Test func deepChainRendersAsText() throws {
        let (services, edges) = chainEdges(2_000)
        let text = GraphRenderer.text(try ServiceGraph(services: services, edges: edges))
        // Header, 2,000 levels, blank line, title, root, 1,999 edges.
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 4_004)
        #expect(text.hasSuffix("└── s01999\n"))
    }

    // MARK: Rendering

    @Test func textRendering() throws {
        let expected = """
            start order (each level starts in parallel):
              1. cache, db
              2. api, worker
              3. admin, web

            dependencies:
            admin
            └── api
                ├── cache
                └── db (service_healthy)
            web
            ├── api …
            └── worker (optional)
                └── db (service_healthy)

            """
        let text = GraphRenderer.text(try demo())
        #expect(text == expected)
        #expect(!text.contains("\u{1B}"))
    }

    @Test func textLevelNumbersAlign() throws {
        let (services, edges) = chainEdges(10)
        let text = GraphRenderer.text(try ServiceGraph(services: services, edges: edges))
        #expect(text.contains("\n   9. s00001\n  10. s00000\n"))
    }

    @Test func textAnnotationsCombine() throws {
        let g = try ServiceGraph(
            services: ["app", "job"],
            edges: [edge("app", "job", "service_completed_successfully", required: false)])
        #expect(
            GraphRenderer.text(g).hasSuffix(
                "app\n└── job (service_completed_successfully, optional)\n"))
    }

    @Test func colorOnlyWhenAsked() throws {
        let colored = GraphRenderer.text(try demo(), color: true)
        #expect(colored.contains("\u{1B}[1mstart order (each level starts in parallel):\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[33m(service_healthy)\u{1B}[0m"))
        let stripped = colored.replacingOccurrences(
            of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == GraphRenderer.text(try demo()))
    }

    @Test func dotRendering() throws {
        let g = try ServiceGraph(
            services: ["web", "api", "worker", "db", "cache", "lonely"],
            edges: [
                edge("web", "worker", required: false),
                edge("web", "api"),
                edge("api", "db", "service_healthy"),
                edge("api", "cache", "service_healthy", required: false),
                edge("worker", "db"),
            ])
        let expected = """
            digraph "demo" {
              rankdir=LR;
              node [shape=box];
              "api";
              "cache";
              "db";
              "lonely";
              "web";
              "worker";
              "api" -> "cache" [label="service_healthy", style="bold,dashed"];
              "api" -> "db" [label="service_healthy", style="bold"];
              "web" -> "api";
              "web" -> "worker" [style="dashed"];
              "worker" -> "db";
            }

            """
        #expect(GraphRenderer.dot(g, projectName: "demo") == expected)
    }

    @Test func dotEscaping() throws {
        let g = try ServiceGraph(
            services: ["my.svc-1_x", "say \"hi\"", "back\\"],
            edges: [edge("say \"hi\"", "my.svc-1_x"), edge("my.svc-1_x", "back\\")])
        let dot = GraphRenderer.dot(g, projectName: "the \"project\"")
        #expect(dot.hasPrefix("digraph \"the \\\"project\\\"\" {\n"))
        #expect(dot.contains("  \"say \\\"hi\\\"\" -> \"my.svc-1_x\";\n"))
        #expect(dot.contains("  \"my.svc-1_x\" -> \"back\\\\\";\n"))
    }

    @Test(.enabled(if: graphvizDot != nil, "graphviz `dot` is not installed; skipping"))
    func dotIsAcceptedByGraphviz() throws {
        guard let path = graphvizDot else { return }
        let g = try ServiceGraph(
            services: ["web", "api", "db", "odd \"name\"", "back\\", "a.b-c_d"],
            edges: [
                edge("web", "api"), edge("api", "db", "service_healthy", required: false),
                edge("odd \"name\"", "back\\"),
            ])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(GraphRenderer.dot(g, projectName: "p-1.x").utf8))
        try input.fileHandleForWriting.close()
        let svg = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "dot -Tsvg failed: \(svg)")
        #expect(svg.contains("<svg"))
    }
}

/// The path of Graphviz's `dot` on `PATH`, or nil.
private let graphvizDot: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/dot"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    print("graphviz `dot` not found on PATH; the DOT validation test is skipped")
    return nil
}()
