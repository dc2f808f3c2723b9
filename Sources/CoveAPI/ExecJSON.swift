import Foundation

/// `POST /containers/{id}/exec`'s body (Docker v1.43); `DetachKeys` and `ConsoleSize` are read
/// and ignored.
public struct ExecCreateRequest: Codable, Sendable, Equatable {
    public var cmd: [String]?
    public var env: [String]?
    public var user: String?
    public var workingDir: String?
    public var tty: Bool?
    public var attachStdin: Bool?
    public var attachStdout: Bool?
    public var attachStderr: Bool?
    public var privileged: Bool?
    public var detachKeys: String?

    public init(cmd: [String]) {
        self.cmd = cmd
    }

    enum CodingKeys: String, CodingKey {
        case cmd = "Cmd"
        case env = "Env"
        case user = "User"
        case workingDir = "WorkingDir"
        case tty = "Tty"
        case attachStdin = "AttachStdin"
        case attachStdout = "AttachStdout"
        case attachStderr = "AttachStderr"
        case privileged = "Privileged"
        case detachKeys = "DetachKeys"
    }
}

/// `{"Id": …}`, the answer to an exec's creation.
public struct ExecCreateResponse: Codable, Sendable, Equatable {
    public var id: String

    public init(id: String) {
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
    }
}

/// `POST /exec/{id}/start`'s body.
public struct ExecStartRequest: Codable, Sendable, Equatable {
    public var detach: Bool?
    public var tty: Bool?
    /// `[rows, columns]`: the exec's pty size from its start (API 1.42).
    public var consoleSize: [Int]?

    public init(detach: Bool, tty: Bool, consoleSize: [Int]? = nil) {
        self.detach = detach
        self.tty = tty
        self.consoleSize = consoleSize
    }

    enum CodingKeys: String, CodingKey {
        case detach = "Detach"
        case tty = "Tty"
        case consoleSize = "ConsoleSize"
    }
}

/// `GET /exec/{id}/json`; `ExitCode` is null while the process runs or before it starts.
public struct ExecInspect: Codable, Sendable, Equatable {
    public var id: String
    public var running: Bool
    public var exitCode: Int?
    public var processConfig: ExecProcessConfig
    public var openStdin: Bool
    public var openStdout: Bool
    public var openStderr: Bool
    public var canRemove: Bool
    public var containerID: String
    public var detachKeys: String
    public var pid: Int

    public init(
        id: String, running: Bool, exitCode: Int?, processConfig: ExecProcessConfig, openStdin: Bool,
        openStdout: Bool, openStderr: Bool, containerID: String, pid: Int
    ) {
        self.id = id
        self.running = running
        self.exitCode = exitCode
        self.processConfig = processConfig
        self.openStdin = openStdin
        self.openStdout = openStdout
        self.openStderr = openStderr
        self.canRemove = false
        self.containerID = containerID
        self.detachKeys = ""
        self.pid = pid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(running, forKey: .running)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(processConfig, forKey: .processConfig)
        try container.encode(openStdin, forKey: .openStdin)
        try container.encode(openStdout, forKey: .openStdout)
        try container.encode(openStderr, forKey: .openStderr)
        try container.encode(canRemove, forKey: .canRemove)
        try container.encode(containerID, forKey: .containerID)
        try container.encode(detachKeys, forKey: .detachKeys)
        try container.encode(pid, forKey: .pid)
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case running = "Running"
        case exitCode = "ExitCode"
        case processConfig = "ProcessConfig"
        case openStdin = "OpenStdin"
        case openStdout = "OpenStdout"
        case openStderr = "OpenStderr"
        case canRemove = "CanRemove"
        case containerID = "ContainerID"
        case detachKeys = "DetachKeys"
        case pid = "Pid"
    }
}

/// An exec's process as `GET /exec/{id}/json` shows it.
public struct ExecProcessConfig: Codable, Sendable, Equatable {
    public var tty: Bool
    public var entrypoint: String
    public var arguments: [String]
    public var privileged: Bool
    public var user: String

    public init(tty: Bool, entrypoint: String, arguments: [String], privileged: Bool, user: String) {
        self.tty = tty
        self.entrypoint = entrypoint
        self.arguments = arguments
        self.privileged = privileged
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case tty
        case entrypoint
        case arguments
        case privileged
        case user
    }
}
