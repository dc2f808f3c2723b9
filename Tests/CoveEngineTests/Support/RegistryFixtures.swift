import Foundation
import Testing

/// What the registry tests share: a rootfs tar to seed images from, and running the docker CLI and
/// the cove CLI against one isolated daemon.
enum RegistryFixtures {
    /// Whether the real clients and the registry are here; without them the tests skip (and fail under CI).
    static var available: Bool {
        (ExternalCommand.docker != nil && RegistryProcess.binary != nil && DaemonProcess.binary != nil)
            || ExternalCommand.isCI
    }

    static let skipReason: Comment =
        "docker CLI or docker-registry not on PATH (apt-get install docker.io docker-registry); under CI this fails instead"

    /// A root filesystem tar in `directory`: Debian's static busybox (scripts/busybox-rootfs) when it is
    /// installed, else a few small files.
    static func rootfsTar(in directory: String) throws -> String {
        let tar = directory + "/rootfs.tar"
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/busybox-rootfs")
            .path
        if FileManager.default.isExecutableFile(atPath: "/bin/busybox") {
            let made = try ExternalCommand.run("/bin/sh", ["-c", "bash '\(script)' > '\(tar)'"])
            guard made.status == 0 else { throw TestFailure("busybox-rootfs failed: \(made.stderr)") }
            return tar
        }
        let rootfs = directory + "/rootfs"
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/greeting"))
        let made = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(rootfs)' -cf '\(tar)' ."])
        guard made.status == 0 else { throw TestFailure("tar failed: \(made.stderr)") }
        return tar
    }

    /// Runs the docker CLI against `daemon`, with its own config directory under the daemon's scratch.
    static func docker(_ daemon: DaemonProcess, _ arguments: [String], stdin: String? = nil) throws
        -> ExternalCommand.Result
    {
        let docker = try #require(ExternalCommand.docker, "docker CLI not on PATH")
        let environment: [String: String?] = [
            "DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_HOST": "unix://" + daemon.socket,
            "DOCKER_CONTEXT": nil, "DOCKER_API_VERSION": nil, "DOCKER_TLS_VERIFY": nil, "DOCKER_CERT_PATH": nil,
        ]
        guard let stdin else {
            return try ExternalCommand.run(docker, arguments, environment: environment, timeout: 120)
        }
        let command = ([docker] + arguments).map(quoted).joined(separator: " ")
        return try ExternalCommand.run(
            "/bin/sh", ["-c", "printf '%s' \(quoted(stdin)) | \(command)"], environment: environment, timeout: 120)
    }

    /// Runs `cove` against `daemon`, with `config` as its credential directory (`COVE_CONFIG`).
    static func cove(_ daemon: DaemonProcess, _ arguments: [String], config: String? = nil, stdin: String? = nil)
        throws -> ExternalCommand.Result
    {
        let binary = try #require(DaemonProcess.binary, "cove binary not found beside the tests; run swift build")
        let environment: [String: String?] = [
            "COVE_HOST": "unix://" + daemon.socket, "COVE_ROOT": nil, "DOCKER_HOST": nil,
            "COVE_CONFIG": config ?? daemon.scratch + "/cove-config",
        ]
        guard let stdin else {
            return try ExternalCommand.run(binary, arguments, environment: environment, timeout: 120)
        }
        let command = ([binary] + arguments).map(quoted).joined(separator: " ")
        return try ExternalCommand.run(
            "/bin/sh", ["-c", "printf '%s' \(quoted(stdin)) | \(command)"], environment: environment, timeout: 120)
    }

    /// Imports the rootfs tar into `daemon` as `reference`; returns the image id.
    static func seed(_ daemon: DaemonProcess, _ reference: String, tar: String) throws -> String {
        let imported = try cove(daemon, ["image", "import", tar, reference])
        guard imported.status == 0 else { throw TestFailure("import failed: \(imported.stderr)\n\(daemon.log)") }
        return imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The value of `format` for `image` in `docker image inspect`, or nil when the image is absent.
    static func inspect(_ daemon: DaemonProcess, _ image: String, _ format: String) throws -> String? {
        let result = try docker(daemon, ["image", "inspect", "--format", format, image])
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
