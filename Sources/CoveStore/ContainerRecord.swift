import CoveCore
import Foundation
import GRDB

/// One container in the state database: a row of `containers`.
///
/// `config` is the create request as the engine received and completed it (Docker's `Config` and
/// `HostConfig` as JSON); the rest is the state the daemon last observed or changed.
public struct ContainerRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "containers"

    /// 64 lower-case hex digits.
    public var id: String
    /// The name without Docker's leading `/`.
    public var name: String
    /// The image whose snapshots hold the container's root.
    public var imageID: Digest
    /// The image as the create request named it (`busybox`).
    public var imageName: String
    /// The create request, JSON.
    public var config: String
    /// Docker's status: `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    public var status: String
    /// The init's host pid while running, else 0.
    public var pid: Int32
    public var exitCode: Int32
    public var oomKilled: Bool
    /// Why the container could not start, empty when it could.
    public var error: String
    public var createdAt: Date
    /// RFC 3339 with nanoseconds, empty until known.
    public var startedAt: String
    public var finishedAt: String

    public init(
        id: String, name: String, imageID: Digest, imageName: String, config: String, createdAt: Date,
        status: String = "created"
    ) {
        self.id = id
        self.name = name
        self.imageID = imageID
        self.imageName = imageName
        self.config = config
        self.status = status
        pid = 0
        exitCode = 0
        oomKilled = false
        error = ""
        self.createdAt = createdAt
        startedAt = ""
        finishedAt = ""
    }

    /// Running or paused: a process exists.
    public var isRunning: Bool { status == "running" || status == "paused" || status == "restarting" }

    public enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, name
        case imageID = "image_id"
        case imageName = "image_name"
        case config, status, pid
        case exitCode = "exit_code"
        case oomKilled = "oom_killed"
        case error
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}
