/// An access scope a registry token is asked for: `repository:library/busybox:pull,push`.
public struct RegistryScope: Hashable, Sendable, CustomStringConvertible {
    /// The resource type: `repository`, or `registry` for the catalog.
    public var type: String
    /// The repository path inside the registry (`library/busybox`), or `catalog`.
    public var name: String
    /// The actions, in the order given: `pull`, `push`, `*`.
    public var actions: [String]

    public init(type: String = "repository", name: String, actions: [String]) {
        self.type = type
        self.name = name
        self.actions = actions
    }

    /// Pull access to a repository.
    public static func pull(_ repository: String) -> RegistryScope {
        RegistryScope(name: repository, actions: ["pull"])
    }

    /// Pull and push access to a repository.
    public static func push(_ repository: String) -> RegistryScope {
        RegistryScope(name: repository, actions: ["pull", "push"])
    }

    /// `type:name:action,action`, the form of the token request's `scope` parameter.
    public var description: String { "\(type):\(name):\(actions.joined(separator: ","))" }
}
