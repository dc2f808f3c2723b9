/// The answer to `GET /containers/{id}/top`: `ps`'s column titles and one row per process.
public struct ContainerTopResponse: Codable, Equatable, Sendable {
    public var titles: [String]
    public var processes: [[String]]

    public init(titles: [String], processes: [[String]]) {
        self.titles = titles
        self.processes = processes
    }

    enum CodingKeys: String, CodingKey {
        case titles = "Titles"
        case processes = "Processes"
    }
}
