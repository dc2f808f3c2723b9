import GRDB

/// One volume in the state database: a row of `volumes`.
public struct VolumeRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "volumes"
    /// The label Docker puts on a volume it made for an anonymous mount (`-v /data`, an image's
    /// `Volumes`): prune removes only these unless asked for all.
    public static let anonymousLabel = "com.docker.volume.anonymous"

    public var name: String
    /// Always `local`.
    public var driver: String
    public var labels: [String: String]
    /// The driver options given at creation (`type`, `device`, `o`).
    public var options: [String: String]
    /// RFC 3339, as Docker's `CreatedAt`.
    public var createdAt: String
    /// The directory holding the data.
    public var mountpoint: String

    public init(
        name: String, driver: String = "local", labels: [String: String] = [:], options: [String: String] = [:],
        createdAt: String, mountpoint: String
    ) {
        self.name = name
        self.driver = driver
        self.labels = labels
        self.options = options
        self.createdAt = createdAt
        self.mountpoint = mountpoint
    }

    /// Made for an anonymous mount.
    public var isAnonymous: Bool { labels[Self.anonymousLabel] != nil }

    public enum CodingKeys: String, CodingKey, ColumnExpression {
        case name, driver, labels, options, mountpoint
        case createdAt = "created_at"
    }
}

/// A container's mount of a volume: a row of `volume_mounts`.
public struct VolumeMountRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "volume_mounts"

    public var containerID: String
    /// The mount point inside the container.
    public var destination: String
    public var volumeName: String

    public init(containerID: String, destination: String, volumeName: String) {
        self.containerID = containerID
        self.destination = destination
        self.volumeName = volumeName
    }

    public enum CodingKeys: String, CodingKey, ColumnExpression {
        case destination
        case containerID = "container_id"
        case volumeName = "volume_name"
    }
}
