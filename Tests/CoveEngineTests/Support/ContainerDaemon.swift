import CoveLinux
import Foundation
import Testing

/// A `cove daemon` for container tests: its own root, socket and cgroup parent, with a busybox
/// image (`scripts/busybox-rootfs`) imported as `busybox` through the docker CLI.
/// `cleanUp()` removes every container through the API, then — whatever the test left —
/// kills the shims it started by pid, unmounts the roots under its state root, removes its
/// cgroups, stops the daemon and removes its files.
final class ContainerDaemon {
    private(set) var daemon: DaemonProcess
    /// Daemons killed by `restartAfterKill`, cleaned up last (the first one owns the root).
    private var killed: [DaemonProcess] = []
    let docker: String
    let cgroupParent: String

    /// `nil`, printing why, when not root or without the docker CLI or busybox.
    static func start(_ test: String = #function) throws -> ContainerDaemon? {
        guard geteuid() == 0 else {
            print("skipped \(test): needs root (namespaces, mounts, cgroups)")
            return nil
        }
        guard let docker = ExternalCommand.docker else {
            if ExternalCommand.isCI { Issue.record("docker CLI not on PATH, and CI is set") }
            print("skipped \(test): docker CLI not on PATH")
            return nil
        }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            print("skipped \(test): no /bin/busybox (apt-get install busybox-static)")
            return nil
        }
        return try ContainerDaemon(docker: docker)
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private init(docker: String) throws {
        self.docker = docker
        cgroupParent = "cove-test-\(UUID().uuidString.prefix(8).lowercased())"
        daemon = try DaemonProcess(arguments: ["--cgroup-parent", cgroupParent])
        do {
            try daemon.waitUntilServing()
            let script = Self.repository.appendingPathComponent("scripts/busybox-rootfs").path
            let imported = try ExternalCommand.run(
                "/bin/bash", ["-c", "bash '\(script)' | '\(docker)' import - busybox"], environment: environment)
            guard imported.status == 0 else { throw TestFailure("busybox import failed: \(imported.stderr)") }
        } catch {
            cleanUp()
            throw error
        }
    }

    var host: String { "unix://" + daemon.socket }

    var environment: [String: String?] {
        [
            "DOCKER_HOST": host, "DOCKER_CONFIG": daemon.scratch + "/docker-config", "DOCKER_CONTEXT": nil,
            "DOCKER_API_VERSION": nil, "DOCKER_TLS_VERIFY": nil, "DOCKER_CERT_PATH": nil,
        ]
    }

    /// Runs the docker CLI against this daemon.
    func run(_ arguments: [String], timeout: Double = 60) throws -> ExternalCommand.Result {
        try ExternalCommand.run(docker, arguments, environment: environment, timeout: timeout)
    }

    /// Runs a shell command line with this daemon as `DOCKER_HOST`.
    func shell(_ line: String, timeout: Double = 60) throws -> ExternalCommand.Result {
        try ExternalCommand.run("/bin/sh", ["-c", line], environment: environment, timeout: timeout)
    }

    func cleanUp() {
        if daemon.process.isRunning, let ids = try? run(["ps", "-aq"]), ids.status == 0 {
            let list = ids.stdout.split(separator: "\n").map(String.init)
            if !list.isEmpty { _ = try? run(["rm", "-f"] + list) }
        }
        Self.killShims(under: daemon.root + "/run")
        daemon.cleanUp()
        let containers = daemon.root + "/containers"
        for id in (try? FileManager.default.contentsOfDirectory(atPath: containers)) ?? [] {
            let target = "\(containers)/\(id)/rootfs"
            if OverlayMount.isMountPoint(target) { try? OverlayMount.unmount(target, detach: true) }
        }
        Self.removeCgroups(cgroupParent)
        try? FileManager.default.removeItem(atPath: daemon.scratch)
        for old in killed { old.cleanUp() }
    }

    /// Kills the daemon with SIGKILL (its containers keep running under their shims) and, after
    /// `seconds` without a daemon (and `whileDown` run), starts a new one on the same root and socket.
    func restartAfterKill(downFor seconds: Double = 0, whileDown: () -> Void = {}) throws {
        kill(daemon.pid, SIGKILL)
        _ = daemon.waitForExit(seconds: 10)
        whileDown()
        Thread.sleep(forTimeInterval: seconds)
        killed.append(daemon)
        daemon = try DaemonProcess(
            root: daemon.root, socket: daemon.socket, arguments: ["--cgroup-parent", cgroupParent])
        try daemon.waitUntilServing()
    }

    /// Kills (SIGKILL, by the pid each shim recorded) the shims of a state root's containers.
    static func killShims(under run: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? [] {
            guard let text = try? String(contentsOfFile: "\(run)/\(name)/shim.pid", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
            else { continue }
            kill(pid, SIGKILL)
        }
    }

    /// Removes the containers' cgroups under `parent` (children first), in every hierarchy.
    static func removeCgroups(_ parent: String) {
        let hierarchies = [
            "", "memory", "cpu", "cpuacct", "cpu,cpuacct", "cpuset", "pids", "blkio", "freezer", "devices", "unified",
            "systemd",
        ]
        for hierarchy in hierarchies {
            let base = "/sys/fs/cgroup/\(hierarchy.isEmpty ? "" : hierarchy + "/")\(parent)"
            for child in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
                rmdir("\(base)/\(child)")
            }
            rmdir(base)
        }
    }

    /// Whether any cgroup directory of `parent` is left.
    var cgroupsLeft: [String] {
        let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        return (hierarchies + [""]).compactMap { hierarchy in
            let base = "/sys/fs/cgroup/\(hierarchy.isEmpty ? "" : hierarchy + "/")\(cgroupParent)"
            let children = (try? FileManager.default.contentsOfDirectory(atPath: base))?.filter {
                (try? FileManager.default.attributesOfItem(atPath: "\(base)/\($0)")[.type] as? FileAttributeType)
                    == .typeDirectory
            }
            return children?.isEmpty == false ? base : nil
        }
    }
}

extension ContainerDaemon {
    /// Mount points under this daemon's root (overlay roots of containers not removed).
    var mountsLeft: [String] {
        let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[4].hasPrefix(daemon.root) else { return nil }
            return String(fields[4])
        }
    }
}
