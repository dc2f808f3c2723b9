import CoveCore

/// Where an engine listens, as `--host`, `COVE_HOST` and `DOCKER_HOST` name it (`unix:///run/cove/cove.sock`).
///
/// Only UNIX sockets are supported in this slice; other schemes (`tcp://`, `ssh://`, …) are rejected
/// with a message that says so.
public enum EngineHost: Sendable, Hashable, CustomStringConvertible {
    /// A UNIX stream socket at an absolute path.
    case unix(path: String)

    /// The socket the Cove daemon serves by default.
    public static let defaultSocketPath = "/run/cove/cove.sock"
    /// `unix:///run/cove/cove.sock`.
    public static let `default` = EngineHost.unix(path: defaultSocketPath)

    /// Parses `unix:///absolute/path`.
    ///
    /// - Throws: `CoveError(.invalidInput)` for an empty value, a relative or empty socket path,
    ///   or any scheme other than `unix://`.
    public init(parsing text: String) throws(CoveError) {
        guard !text.isEmpty else { throw CoveError(.invalidInput, "the engine host must not be empty") }
        guard let separator = text.range(of: "://") else {
            throw CoveError(
                .invalidInput, "invalid engine host \"\(text)\": expected unix:///path/to/socket")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        let rest = String(text[separator.upperBound...])
        guard scheme == "unix" else {
            throw CoveError(
                .invalidInput,
                "engine host \"\(text)\": the \(scheme):// scheme is not supported yet; only unix:///path/to/socket is")
        }
        guard rest.hasPrefix("/") else {
            throw CoveError(
                .invalidInput, "engine host \"\(text)\": the socket path must be absolute (unix:///path/to/socket)")
        }
        guard !rest.utf8.contains(0) else {
            throw CoveError(.invalidInput, "engine host \"\(text)\": the socket path holds a NUL byte")
        }
        self = .unix(path: rest)
    }

    /// The socket's path.
    public var socketPath: String {
        switch self {
        case .unix(let path): path
        }
    }

    /// `unix:///path`.
    public var description: String {
        switch self {
        case .unix(let path): "unix://" + path
        }
    }
}

/// The engine host the CLI talks to and where that choice came from.
public struct EngineHostSelection: Sendable, Equatable {
    /// What named the host.
    public enum Source: String, Sendable, Equatable {
        /// The `--host` flag.
        case flag = "--host"
        /// The `COVE_HOST` environment variable.
        case coveHost = "COVE_HOST"
        /// The `DOCKER_HOST` environment variable.
        case dockerHost = "DOCKER_HOST"
        /// Nothing: Cove's own default socket.
        case `default` = "default"
    }

    public var host: EngineHost
    public var source: Source

    public init(host: EngineHost, source: Source) {
        self.host = host
        self.source = source
    }

    /// Chooses the host: `--host` (`flag`), else `COVE_HOST`, else `DOCKER_HOST`, else
    /// `unix:///run/cove/cove.sock`. An empty variable counts as unset; an empty flag is an error.
    ///
    /// - Throws: `CoveError(.invalidInput)` naming the flag or variable whose value does not parse.
    public static func resolve(flag: String?, environment: [String: String]) throws(CoveError) -> EngineHostSelection {
        let candidates: [(Source, String?)] = [
            (.flag, flag),
            (.coveHost, environment["COVE_HOST"].flatMap { $0.isEmpty ? nil : $0 }),
            (.dockerHost, environment["DOCKER_HOST"].flatMap { $0.isEmpty ? nil : $0 }),
        ]
        for case (let source, let value?) in candidates {
            do {
                return EngineHostSelection(host: try EngineHost(parsing: value), source: source)
            } catch {
                var named = error
                named.message = "\(source.rawValue): " + error.message
                throw named
            }
        }
        return EngineHostSelection(host: .default, source: .default)
    }

    /// Whether the CLI may start `cove daemon` itself when nothing answers on the host: only for a
    /// Cove socket, that is the default one (however it was named) or one `COVE_HOST` names. A
    /// `DOCKER_HOST` is another engine and is never started.
    public var mayStartDaemon: Bool {
        switch source {
        case .default, .coveHost: true
        case .flag: host == .default
        case .dockerHost: false
        }
    }
}
