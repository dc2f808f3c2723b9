/// One message of `GET /events` (Docker's `events.Message`): the current fields and the legacy
/// `status`, `id` and `from` that older clients read.
public struct EventMessage: Codable, Sendable, Equatable {
    /// `container`, `image`, `volume`, …
    public var type: String
    /// `create`, `die`, `health_status: healthy`, `exec_start: sh -c …`, …
    public var action: String
    public var actor: EventActor
    public var scope: String
    /// Unix seconds.
    public var time: Int64
    /// Unix nanoseconds.
    public var timeNano: Int64
    public var status: String?
    public var id: String?
    public var from: String?

    public init(type: String, action: String, actor: EventActor, timeNano: Int64) {
        self.type = type
        self.action = action
        self.actor = actor
        scope = "local"
        self.timeNano = timeNano
        time = timeNano / 1_000_000_000
        if type == "container" || type == "image" {
            status = action
            id = actor.id
            from = type == "container" ? actor.attributes["image"] : nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case action = "Action"
        case actor = "Actor"
        case scope
        case time
        case timeNano
        case status
        case id
        case from
    }
}

/// What an event is about: its id (a container id, an image reference, a volume name) and
/// attributes (a container's name, image and labels; an exit code, a signal).
public struct EventActor: Codable, Sendable, Equatable {
    public var id: String
    public var attributes: [String: String]

    public init(id: String, attributes: [String: String]) {
        self.id = id
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case attributes = "Attributes"
    }
}
