import CoveImage

/// The body of `GET /images/{name}/json`, in Docker's shape (API v1.43 `ImageInspect`).
struct ImageInspectJSON: Encodable, Sendable {
    struct RootFSJSON: Encodable, Sendable {
        var type = "layers"
        var layers: [String]

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case layers = "Layers"
        }
    }

    struct GraphDriverJSON: Encodable, Sendable {
        var name = "cove-overlay"
        var data: [String: String] = [:]

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case data = "Data"
        }
    }

    struct MetadataJSON: Encodable, Sendable {
        /// RFC 3339, or Go's zero time when the image was never tagged.
        var lastTagTime: String

        enum CodingKeys: String, CodingKey {
            case lastTagTime = "LastTagTime"
        }
    }

    var id: String
    var repoTags: [String]
    var repoDigests: [String]
    var parent = ""
    var comment: String
    var created: String
    var dockerVersion = ""
    var author: String
    var config: ContainerConfig
    var architecture: String
    var variant: String?
    var os: String
    var size: Int64
    var virtualSize: Int64
    var graphDriver = GraphDriverJSON()
    var rootFS: RootFSJSON
    var metadata: MetadataJSON

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case parent = "Parent"
        case comment = "Comment"
        case created = "Created"
        case dockerVersion = "DockerVersion"
        case author = "Author"
        case config = "Config"
        case architecture = "Architecture"
        case variant = "Variant"
        case os = "Os"
        case size = "Size"
        case virtualSize = "VirtualSize"
        case graphDriver = "GraphDriver"
        case rootFS = "RootFS"
        case metadata = "Metadata"
    }
}
