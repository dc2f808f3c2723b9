/// The answer to `GET /volumes`.
public struct VolumeListResponse: Codable, Sendable, Equatable {
    public var volumes: [VolumeJSON]
    public var warnings: [String]

    public init(volumes: [VolumeJSON], warnings: [String] = []) {
        self.volumes = volumes
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case volumes = "Volumes"
        case warnings = "Warnings"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        volumes = try container.decodeIfPresent([VolumeJSON].self, forKey: .volumes) ?? []
        warnings = try container.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }
}
