/// The body of `GET /version` (Docker Engine API v1.43, `SystemVersion`).
///
/// Optional fields are left out of the JSON when Cove has no true value for them.
public struct SystemVersion: Codable, Sendable, Equatable {
    /// The product: `{"Name": "Cove Engine"}`.
    public struct Platform: Codable, Sendable, Equatable {
        public var name: String

        public init(name: String) {
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
        }
    }

    /// One component of the engine and its version, with free-form details.
    public struct Component: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var details: [String: String]?

        public init(name: String, version: String, details: [String: String]? = nil) {
            self.name = name
            self.version = version
            self.details = details
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case version = "Version"
            case details = "Details"
        }
    }

    public var platform: Platform
    public var components: [Component]
    /// The engine's version.
    public var version: String
    /// The API version served ("1.43").
    public var apiVersion: String
    /// The oldest API version accepted.
    public var minAPIVersion: String
    public var gitCommit: String?
    /// Docker puts its Go toolchain here; Cove puts the Swift toolchain it was built with.
    public var goVersion: String?
    /// "linux".
    public var os: String
    /// The architecture in Go's naming ("amd64").
    public var arch: String
    public var kernelVersion: String?
    public var experimental: Bool?
    public var buildTime: String?

    public init(
        platform: Platform, components: [Component], version: String, apiVersion: String, minAPIVersion: String,
        gitCommit: String? = nil, goVersion: String? = nil, os: String, arch: String, kernelVersion: String? = nil,
        experimental: Bool? = nil, buildTime: String? = nil
    ) {
        self.platform = platform
        self.components = components
        self.version = version
        self.apiVersion = apiVersion
        self.minAPIVersion = minAPIVersion
        self.gitCommit = gitCommit
        self.goVersion = goVersion
        self.os = os
        self.arch = arch
        self.kernelVersion = kernelVersion
        self.experimental = experimental
        self.buildTime = buildTime
    }

    enum CodingKeys: String, CodingKey {
        case platform = "Platform"
        case components = "Components"
        case version = "Version"
        case apiVersion = "ApiVersion"
        case minAPIVersion = "MinAPIVersion"
        case gitCommit = "GitCommit"
        case goVersion = "GoVersion"
        case os = "Os"
        case arch = "Arch"
        case kernelVersion = "KernelVersion"
        case experimental = "Experimental"
        case buildTime = "BuildTime"
    }
}
