import CoveAPI
import Foundation

/// What `cove version` prints: the client's facts and the engine's `/version`, as text or JSON.
struct VersionReport: Encodable {
    /// The client half.
    struct Client: Encodable {
        var version: String
        var apiVersion: String
        var os: String
        var arch: String
        /// The engine host the client talked to.
        var host: String

        enum CodingKeys: String, CodingKey {
            case version = "Version"
            case apiVersion = "ApiVersion"
            case os = "Os"
            case arch = "Arch"
            case host = "Host"
        }
    }

    var client: Client
    var server: SystemVersion

    enum CodingKeys: String, CodingKey {
        case client = "Client"
        case server = "Server"
    }

    /// The client half for this build talking to `host`.
    static func client(host: EngineHost) -> Client {
        Client(
            version: CoveCommand.version, apiVersion: APIVersion.current.description, os: "linux",
            arch: buildArchitecture, host: host.description)
    }

    /// The architecture this executable was compiled for, in Go's naming as the API uses it.
    static var buildArchitecture: String {
        #if arch(x86_64)
            "amd64"
        #elseif arch(arm64)
            "arm64"
        #elseif arch(i386)
            "386"
        #elseif arch(arm)
            "arm"
        #elseif arch(powerpc64le)
            "ppc64le"
        #elseif arch(s390x)
            "s390x"
        #elseif arch(riscv64)
            "riscv64"
        #else
            "unknown"
        #endif
    }

    /// One line per fact, laid out as `docker version` lays them out.
    var text: String {
        var lines = ["Client:"]
        lines += Self.rows(
            [
                ("Version", client.version), ("API version", client.apiVersion),
                ("OS/Arch", "\(client.os)/\(client.arch)"), ("Host", client.host),
            ], indent: " ")
        lines.append("")
        lines.append("Server: \(server.platform.name)")
        lines.append(" Engine:")
        lines += Self.rows(
            [
                ("Version", server.version),
                ("API version", "\(server.apiVersion) (minimum version \(server.minAPIVersion))"),
                ("Toolchain", server.goVersion), ("Git commit", server.gitCommit), ("Built", server.buildTime),
                ("OS/Arch", "\(server.os)/\(server.arch)"), ("Kernel version", server.kernelVersion),
                ("Experimental", server.experimental.map { String($0) }),
            ], indent: "  ")
        for component in server.components where component.name != "Engine" {
            lines.append(" \(component.name):")
            lines += Self.rows(
                [("Version", component.version), ("GitCommit", component.details?["GitCommit"])], indent: "  ")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one line of JSON.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// `label:` padded so values start in column 21, as in `docker version`, then the value; rows without a value are left out.
    private static func rows(_ pairs: [(String, String?)], indent: String) -> [String] {
        pairs.compactMap { label, value in
            guard let value else { return nil }
            let key = "\(label):"
            return indent + key + String(repeating: " ", count: max(1, 20 - indent.count - key.count)) + value
        }
    }
}
