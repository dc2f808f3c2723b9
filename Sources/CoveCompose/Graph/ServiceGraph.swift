import CoveCore

/// One `depends_on` entry: `service` depends on `dependency`.
///
/// `condition` says when the dependency counts as ready (`service_started`,
/// `service_healthy` or `service_completed_successfully`); `required: false` is Compose's
/// `required: false` (the dependency may be missing or fail to start with only a warning).
public struct DependencyEdge: Sendable, Hashable {
    /// The Compose default condition: the dependency's container has been started.
    public static let serviceStarted = "service_started"
    /// The dependency's healthcheck reports healthy.
    public static let serviceHealthy = "service_healthy"
    /// The dependency ran to completion with exit status 0.
    public static let serviceCompletedSuccessfully = "service_completed_successfully"

    /// The service that waits.
    public var service: String
    /// The service it waits for.
    public var dependency: String
    /// When `dependency` counts as ready; one of the three constants above.
    public var condition: String
    /// False for `required: false`.
    public var required: Bool
    /// Where the entry is written (the key under `depends_on`), when it comes from a file.
    public var location: SourceLocation?

    public init(
        service: String, dependency: String,
        condition: String = DependencyEdge.serviceStarted, required: Bool = true,
        location: SourceLocation? = nil
    ) {
        self.service = service
        self.dependency = dependency
        self.condition = condition
        self.required = required
        self.location = location
    }
}

/// The `depends_on` graph of a project's services, checked to be complete and acyclic.
///
/// Building one validates the graph: every edge must join two known services and there must
/// be no cycle. Everything it answers is deterministic (sorted by service name), and every
/// algorithm is iterative and linear in services plus edges, so a chain of ten thousand
/// services neither overflows the stack nor takes quadratic time.
///
/// Duplicate edges (the same service and dependency twice) are kept once: the first wins.
public struct ServiceGraph: Sendable {
    /// All services, sorted by name, without duplicates.
    public private(set) var services: [String]
    /// The order in which services can start: level 0 holds the services with no
    /// dependencies; a service is in level `1 + max(level of its dependencies)`. The services
    /// of one level do not depend on each other and can start in parallel. Each level is
    /// sorted by name.
    public private(set) var startLevels: [[String]]

    /// Service name to its position in `services`.
    private var index: [String: Int]
    /// For each service, its edges, sorted by dependency name.
    private var outgoing: [[DependencyEdge]]
    /// For each service, the positions of its dependencies, in the order of `outgoing`.
    private var dependencyIndices: [[Int]]
    /// For each service, the positions of the services that depend on it, ascending.
    private var dependentIndices: [[Int]]

    /// Builds and validates the graph.
    ///
    /// - Throws: `CoveError` (`invalidInput`) for the first edge, in the order given, that
    ///   names an unknown service, located at that edge; or for a dependency cycle, with the
    ///   whole cycle in the message (`dependency cycle: a -> b -> c -> a`), starting at its
    ///   alphabetically first service and located at the edge leaving that service (the
    ///   first arrow of the message). When there are several cycles, the one found first by
    ///   a depth-first search in name order is reported.
    public init(services: [String], edges: [DependencyEdge]) throws(CoveError) {
        let names = Array(Set(services)).sorted()
        var index = [String: Int](minimumCapacity: names.count)
        for (position, name) in names.enumerated() { index[name] = position }

        // Check the edges and bucket them by dependency, so that the buckets can be read
        // back in name order without sorting every adjacency list.
        var byDependency = [[(service: Int, edge: DependencyEdge)]](
            repeating: [], count: names.count)
        var seen = Set<EdgeKey>()
        for edge in edges {
            guard let from = index[edge.service] else {
                throw CoveError(
                    .invalidInput,
                    "undefined service \"\(edge.service)\" depends on \"\(edge.dependency)\"",
                    at: edge.location)
            }
            guard let to = index[edge.dependency] else {
                throw CoveError(
                    .invalidInput,
                    "service \"\(edge.service)\" depends on undefined service "
                        + "\"\(edge.dependency)\"",
                    at: edge.location, service: edge.service)
            }
            if seen.insert(EdgeKey(from: from, to: to)).inserted {
                byDependency[to].append((from, edge))
            }
        }

        var outgoing = [[DependencyEdge]](repeating: [], count: names.count)
        var dependencyIndices = [[Int]](repeating: [], count: names.count)
        var dependentIndices = [[Int]](repeating: [], count: names.count)
        for to in names.indices {
            for (from, edge) in byDependency[to] {
                outgoing[from].append(edge)
                dependencyIndices[from].append(to)
            }
        }
        for from in names.indices {
            for to in dependencyIndices[from] { dependentIndices[to].append(from) }
        }

        let levelOf = try Self.levels(
            names: names, outgoing: outgoing, dependencyIndices: dependencyIndices)
        var startLevels: [[String]] = []
        for (position, level) in levelOf.enumerated() {
            while startLevels.count <= level { startLevels.append([]) }
            startLevels[level].append(names[position])
        }

        self.services = names
        self.startLevels = startLevels
        self.index = index
        self.outgoing = outgoing
        self.dependencyIndices = dependencyIndices
        self.dependentIndices = dependentIndices
    }

    /// `startLevels` reversed: the order in which services stop (dependents first).
    public var stopLevels: [[String]] { startLevels.reversed() }

    /// The edges of `service` (what it depends on), sorted by dependency name; empty for an
    /// unknown service.
    public func dependencies(of service: String) -> [DependencyEdge] {
        guard let position = index[service] else { return [] }
        return outgoing[position]
    }

    /// The services that depend directly on `service`, sorted; empty for an unknown service.
    public func dependents(of service: String) -> [String] {
        guard let position = index[service] else { return [] }
        return dependentIndices[position].map { self.services[$0] }
    }

    /// The given services plus everything they depend on, directly or not, sorted by name:
    /// what `up web` has to start. Optional (`required: false`) dependencies are included.
    /// Names that are not services are skipped (the caller reports them).
    public func closure(of services: [String]) -> [String] {
        var included = [Bool](repeating: false, count: self.services.count)
        var pending: [Int] = []
        for name in services {
            if let position = index[name], !included[position] {
                included[position] = true
                pending.append(position)
            }
        }
        while let position = pending.popLast() {
            for dependency in dependencyIndices[position] where !included[dependency] {
                included[dependency] = true
                pending.append(dependency)
            }
        }
        return self.services.indices.filter { included[$0] }.map { self.services[$0] }
    }

    /// The services that no other service depends on, sorted: the tops of the trees.
    var roots: [String] {
        services.indices.filter { dependentIndices[$0].isEmpty }.map { services[$0] }
    }

    /// Every edge, sorted by service and then dependency.
    var allEdges: [DependencyEdge] { outgoing.flatMap { $0 } }

    // MARK: - Levels and cycles

    private struct EdgeKey: Hashable {
        var from: Int
        var to: Int
    }

    private enum Mark: UInt8 {
        case unvisited, onPath, done
    }

    /// An iterative depth-first search in name order that computes each service's level
    /// when it finishes (its dependencies have finished before it) and stops at the first
    /// edge back onto the current path, which closes a cycle.
    private static func levels(
        names: [String], outgoing: [[DependencyEdge]], dependencyIndices: [[Int]]
    ) throws(CoveError) -> [Int] {
        var mark = [Mark](repeating: .unvisited, count: names.count)
        var level = [Int](repeating: 0, count: names.count)
        // The current path: a service and the position of the next dependency to look at.
        var path: [(service: Int, next: Int)] = []
        var pathPosition = [Int](repeating: 0, count: names.count)

        for root in names.indices where mark[root] == .unvisited {
            mark[root] = .onPath
            pathPosition[root] = 0
            path.append((root, 0))
            while let top = path.last {
                let (service, next) = (top.service, top.next)
                let dependencies = dependencyIndices[service]
                if next < dependencies.count {
                    path[path.count - 1].next = next + 1
                    let dependency = dependencies[next]
                    switch mark[dependency] {
                    case .unvisited:
                        mark[dependency] = .onPath
                        pathPosition[dependency] = path.count
                        path.append((dependency, 0))
                    case .onPath:
                        let cycle = path[pathPosition[dependency]...].map(\.service)
                        throw cycleError(cycle, names: names, outgoing: outgoing)
                    case .done:
                        break
                    }
                } else {
                    var own = 0
                    for dependency in dependencies { own = max(own, level[dependency] + 1) }
                    level[service] = own
                    mark[service] = .done
                    path.removeLast()
                }
            }
        }
        return level
    }

    /// The error for `cycle`, a list of positions where each depends on the next and the
    /// last on the first.
    private static func cycleError(
        _ cycle: [Int], names: [String], outgoing: [[DependencyEdge]]
    ) -> CoveError {
        // Positions are in name order, so the smallest is the alphabetically first service.
        var start = 0
        for offset in cycle.indices where cycle[offset] < cycle[start] { start = offset }
        let rotated = Array(cycle[start...] + cycle[..<start])
        let first = rotated[0]
        let second = rotated.count > 1 ? rotated[1] : first
        let path = (rotated + [first]).map { names[$0] }.joined(separator: " -> ")
        let location = outgoing[first].first { $0.dependency == names[second] }?.location
        return CoveError(.invalidInput, "dependency cycle: \(path)", at: location)
    }
}
