import CoveCore
import CoveImage
import CoveLinux

/// Where the daemon keeps its state and where it listens, and how much it logs.
public struct DaemonConfiguration: Sendable, Equatable {
    /// The state root when neither `--root` nor `COVE_ROOT` names one.
    public static let defaultRoot = "/var/lib/cove"
    /// The socket when `--socket` names none.
    public static let defaultSocketPath = "/run/cove/cove.sock"

    /// The state root, absolute.
    public var root: String
    /// The UNIX socket the API is served on, absolute.
    public var socketPath: String
    /// Log every request (debug level) as well as the lifecycle (info level).
    public var debug: Bool
    /// Cove's version, reported in `/version`, `/info` and the `Server` header.
    public var version: String
    /// Registries (`host[:port]`) reached over plain HTTP although they are not on a loopback address.
    public var insecureRegistries: [String]
    /// The cgroup under which each container gets its own (`<parent>/<id>`).
    public var cgroupParent = "cove"

    public init(
        root: String, socketPath: String, debug: Bool = false, version: String, insecureRegistries: [String] = []
    ) {
        self.root = root
        self.socketPath = socketPath
        self.debug = debug
        self.version = version
        self.insecureRegistries = insecureRegistries
    }

    /// Checks `--insecure-registry` values: `host[:port]`, without scheme or path.
    public static func validateInsecureRegistries(_ values: [String]) throws(CoveError) -> [String] {
        try values.map { value throws(CoveError) in
            var text = value
            for scheme in ["http://", "https://"] where text.lowercased().hasPrefix(scheme) {
                text = String(text.dropFirst(scheme.count))
            }
            if text.hasSuffix("/") { text.removeLast() }
            guard !text.isEmpty, !text.contains("/"), !text.contains(where: \.isWhitespace),
                let reference = try? ImageReference(parsing: text + "/x"), reference.domain == text
            else {
                throw CoveError(
                    .invalidInput, "invalid --insecure-registry \(String(reflecting: value)): expected host[:port]")
            }
            return text
        }
    }

    /// Checks `--cgroup-parent`: a relative cgroup path of letters, digits, `_`, `.`, `-` and `/`.
    public static func validateCgroupParent(_ value: String) throws(CoveError) -> String {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || "_.-/".contains(c)) }
        guard !value.isEmpty, !value.hasPrefix("/"), value.allSatisfy(allowed),
            !value.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
        else {
            throw CoveError(
                .invalidInput, "invalid --cgroup-parent \(String(reflecting: value)): expected a relative cgroup path")
        }
        return value
    }

    /// The lock file held while a daemon serves this root.
    public var lockPath: String { root + "/daemon.lock" }
    /// The file naming the pid of the daemon that serves this root.
    public var pidPath: String { root + "/daemon.pid" }

    /// Resolves the flags and the environment: root from `--root`, then `COVE_ROOT`, then
    /// `/var/lib/cove`; socket from `--socket`, then `/run/cove/cove.sock`. Relative paths are
    /// taken from `workingDirectory`; an empty `COVE_ROOT` counts as unset.
    public static func resolve(
        root: String?, socket: String?, debug: Bool, version: String, environment: [String: String],
        workingDirectory: String
    ) throws(CoveError) -> DaemonConfiguration {
        if root == "" { throw CoveError(.invalidInput, "--root must not be empty") }
        if socket == "" { throw CoveError(.invalidInput, "--socket must not be empty") }
        let chosenRoot = root ?? environment["COVE_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultRoot
        let resolvedRoot = absolutePath(chosenRoot, from: workingDirectory)
        let resolvedSocket = absolutePath(socket ?? defaultSocketPath, from: workingDirectory)
        guard resolvedRoot != "/" else { throw CoveError(.invalidInput, "the state root cannot be /") }
        let length = resolvedSocket.utf8.count
        guard length <= SocketFile.maximumPathLength else {
            throw CoveError(
                .invalidInput,
                "socket path \(resolvedSocket) is too long (\(length) bytes; at most \(SocketFile.maximumPathLength))")
        }
        return DaemonConfiguration(root: resolvedRoot, socketPath: resolvedSocket, debug: debug, version: version)
    }

    /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes resolved lexically.
    static func absolutePath(_ path: String, from directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
