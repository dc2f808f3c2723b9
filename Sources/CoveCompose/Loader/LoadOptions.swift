/// What the user asked for: the same inputs `docker compose` takes from its flags and
/// environment.
public struct LoadOptions: Sendable {
    /// `-f` files in order (`-` is standard input); empty means `COMPOSE_FILE` or discovery.
    public var files: [String] = []
    /// `-p`.
    public var projectName: String?
    /// `--project-directory`.
    public var projectDirectory: String?
    /// `--profile`, in addition to `COMPOSE_PROFILES`.
    public var profiles: [String] = []
    /// `--env-file`; empty means the project directory's `.env` when it exists.
    public var envFiles: [String] = []
    /// Services named on the command line: they enable their profiles and restrict the
    /// project to them and their dependencies.
    public var services: [String] = []
    /// The process environment (the shell's variables).
    public var environment: [String: String] = [:]
    /// The directory relative `-f` paths start from.
    public var workingDirectory: String = "/"
    /// `--no-interpolate` turns this off.
    public var interpolate = true

    public init() {}

    /// The separator of `COMPOSE_FILE` (`COMPOSE_PATH_SEPARATOR`, default `:`).
    var pathSeparator: String { environment["COMPOSE_PATH_SEPARATOR"] ?? ":" }
}
