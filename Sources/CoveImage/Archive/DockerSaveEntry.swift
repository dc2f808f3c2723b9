/// One entry of a `docker save` archive's `manifest.json`: an image's config, tags and layers, as
/// paths inside the archive.
struct DockerSaveEntry: Codable {
    var config: String
    var repoTags: [String]?
    var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
    }
}
