import CoveCore

/// A loaded, validated Compose project: the normalized model (what `config` prints),
/// the services as typed values, and their dependency graph.
public struct Project: Sendable {
    public var name: String
    /// The project directory (absolute).
    public var workingDirectory: String
    /// The compose files loaded, in order (`-` for standard input).
    public var configFiles: [String]
    /// The normalized model: `name`, `services`, `networks`, `volumes`, … in long form.
    public var model: Mapping
    /// Enabled services, sorted by name.
    public var services: [Service]
    /// Services switched off by profiles or by naming other services, sorted.
    public var disabledServices: [String]
    /// Every profile any service names, enabled or not, sorted.
    public var allProfiles: [String]
    public var graph: ServiceGraph
    /// The variables the project was interpolated with.
    public var environment: Environment

    public init(
        name: String, workingDirectory: String, configFiles: [String], model: Mapping,
        disabledServices: [String], allProfiles: [String] = [], environment: Environment
    ) throws(CoveError) {
        self.name = name
        self.workingDirectory = workingDirectory
        self.configFiles = configFiles
        self.model = model
        self.disabledServices = disabledServices
        self.allProfiles = allProfiles
        self.environment = environment
        let serviceNodes = model["services"]?.mapping ?? Mapping()
        services = serviceNodes.map { Service(name: $0.key, node: $0.value, project: name) }
        let names = Set(serviceNodes.keys)
        let edges = services.flatMap(\.dependsOn).filter { names.contains($0.dependency) }
        graph = try ServiceGraph(services: serviceNodes.keys, edges: edges)
    }

    public func service(named name: String) -> Service? {
        services.first { $0.name == name }
    }

    /// The names of a top-level section (`networks`, `volumes`, `secrets`, `configs`).
    public func resourceNames(_ kind: String) -> [String] {
        model[kind]?.mapping?.keys ?? []
    }

    /// The normalized model as a node, ready to print.
    public var node: Node { .mapping(model) }
}

/// One service of a project, with the fields the orchestrator needs typed.
public struct Service: Sendable {
    public var name: String
    /// The normalized service definition.
    public var node: Node
    public var image: String?
    public var hasBuild: Bool
    public var containerName: String?
    public var profiles: [String]
    public var dependsOn: [DependencyEdge]
    /// `deploy.replicas`, else `scale`, else 1.
    public var replicas: Int
    /// The image the service runs: its `image`, or `<project>-<service>` when it is built.
    public var imageName: String
    /// Decides recreation: equal hashes mean an existing container still matches.
    /// Computed when asked: most commands never need it.
    public var configHash: String { ConfigHash.of(node) }

    init(name: String, node: Node, project: String) {
        self.name = name
        self.node = node
        let m = node.mapping ?? Mapping()
        image = m["image"]?.scalarText
        hasBuild = m["build"] != nil
        containerName = m["container_name"]?.scalarText
        profiles = m["profiles"]?.sequence?.compactMap(\.scalarText) ?? []
        replicas = m["deploy"]?.mapping?["replicas"]?.int ?? m["scale"]?.int ?? 1
        imageName = image ?? "\(project)-\(name)"
        let deps = m["depends_on"]?.mapping ?? Mapping()
        dependsOn = deps.map { entry in
            let d = entry.value.mapping ?? Mapping()
            return DependencyEdge(
                service: name, dependency: entry.key,
                condition: d["condition"]?.string ?? DependencyEdge.serviceStarted,
                required: d["required"]?.bool ?? true,
                location: deps.location(ofKey: entry.key))
        }
    }
}
