import ArgumentParser
import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// The flags `container create` and `container run` share, and the create request they make.
struct ContainerCreateOptions: ParsableArguments {
    @Option(help: "Assign a name to the container.")
    var name: String?

    @Flag(name: .shortAndLong, help: "Give the container a pseudo-terminal.")
    var tty = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Set an environment variable.", valueName: "KEY=value"))
    var env: [String] = []

    @Option(
        name: .customLong("env-file"), help: ArgumentHelp("Read environment variables from a file.", valueName: "file"))
    var envFile: [String] = []

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Bind mount a host path (absolute), mount a named volume, or (a path alone) an anonymous volume.",
            valueName: "/host|name:/container[:ro]"))
    var volume: [String] = []

    @Option(
        help: ArgumentHelp(
            "Attach a mount (type=bind|volume|tmpfs, source, target, readonly, bind-propagation, "
                + "volume-nocopy, tmpfs-size, tmpfs-mode).",
            valueName: "mount"))
    var mount: [String] = []

    @Option(help: ArgumentHelp("Mount a tmpfs.", valueName: "/path[:options]"))
    var tmpfs: [String] = []

    @Option(help: "Overwrite the image's entrypoint.")
    var entrypoint: String?

    @Option(name: .shortAndLong, help: "Working directory inside the container.")
    var workdir: String?

    @Option(
        name: .shortAndLong, help: ArgumentHelp("User name or uid, with an optional group.", valueName: "user[:group]"))
    var user: String?

    @Option(name: [.customShort("l"), .long], help: ArgumentHelp("Set a label.", valueName: "key=value"))
    var label: [String] = []

    @Option(help: "Container host name.")
    var hostname: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Memory limit (512m, 1g).", valueName: "bytes"))
    var memory: String?

    @Option(help: "Number of CPUs (1.5).")
    var cpus: Double?

    @Option(name: .customLong("pids-limit"), help: "Process limit (-1 for unlimited).")
    var pidsLimit: Int64?

    @Option(name: .customLong("cap-add"), help: "Add a Linux capability.")
    var capAdd: [String] = []

    @Option(name: .customLong("cap-drop"), help: "Drop a Linux capability.")
    var capDrop: [String] = []

    @Flag(help: "Give extended privileges to the container.")
    var privileged = false

    @Flag(name: .customLong("read-only"), help: "Mount the container's root file system read-only.")
    var readOnly = false

    @Flag(help: "Run a minimal init as pid 1 that forwards signals and reaps.")
    var `init` = false

    @Option(
        name: .customLong("security-opt"),
        help: ArgumentHelp("seccomp=unconfined|PROFILE.json, no-new-privileges.", valueName: "option"))
    var securityOpt: [String] = []

    @Option(help: ArgumentHelp("Network mode: none or host.", valueName: "mode"))
    var network: String?

    @OptionGroup var lifecycle: ContainerLifecycleOptions

    @OptionGroup var resources: ContainerResourceOptions

    @Argument(help: "The image.")
    var image: String

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var command: [String] = []

    /// The create request; `autoRemove` is `--rm`, `interactive` `-i` (stdin kept open).
    func request(autoRemove: Bool, interactive: Bool = false) throws(CoveError) -> ContainerCreateRequest {
        var request = ContainerCreateRequest(image: image)
        if tty { request.tty = true }
        if interactive {
            request.openStdin = true
            request.stdinOnce = true
            request.attachStdin = true
        }
        if !command.isEmpty { request.cmd = StringList(command) }
        if let entrypoint { request.entrypoint = StringList(entrypoint.isEmpty ? [] : [entrypoint]) }
        var environment: [String] = []
        for file in envFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CoveError(.invalidInput, "open \(file): no such file or directory")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CoveError(.invalidInput, "env file \(file) contains invalid utf8 bytes")
            }
            environment += try EnvFile.parse(text, name: file, environment: ProcessInfo.processInfo.environment)
        }
        environment += env.map { entry in
            entry.contains("=") ? entry : "\(entry)=\(ProcessInfo.processInfo.environment[entry] ?? "")"
        }
        request.env = environment.isEmpty ? nil : environment
        request.workingDir = workdir
        request.user = user
        request.hostname = hostname
        var labels: [String: String] = [:]
        for item in label {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            labels[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        if !labels.isEmpty { request.labels = labels }
        var host = HostConfig()
        host.autoRemove = autoRemove
        // As the docker CLI: a lone container path is an anonymous volume, sent in `Volumes`.
        let binds = volume.filter { $0.contains(":") }
        let anonymous = volume.filter { !$0.contains(":") }
        host.binds = binds.isEmpty ? nil : binds
        if !anonymous.isEmpty {
            var volumes: [String: [String: String]] = [:]
            for path in anonymous { volumes[path] = [:] }
            request.volumes = volumes
        }
        if !mount.isEmpty {
            var specs: [MountSpec] = []
            for item in mount { specs.append(try MountOption.parse(item)) }
            host.mounts = specs
        }
        if !tmpfs.isEmpty {
            var mounts: [String: String] = [:]
            for item in tmpfs {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                mounts[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            host.tmpfs = mounts
        }
        if let memory { host.memory = try Self.bytes(memory, flag: "--memory") }
        if let cpus {
            guard cpus > 0 else { throw CoveError(.invalidInput, "invalid argument \"\(cpus)\" for \"--cpus\"") }
            host.nanoCpus = Int64((cpus * 1e9).rounded())
        }
        host.pidsLimit = pidsLimit
        host.capAdd = capAdd.isEmpty ? nil : capAdd
        host.capDrop = capDrop.isEmpty ? nil : capDrop
        host.privileged = privileged
        host.readonlyRootfs = readOnly
        host.initProcess = `init`
        host.networkMode = network
        if tty, let size = RawTerminal.size() { host.consoleSize = [size.rows, size.columns] }
        var security: [String] = []
        for option in securityOpt {
            // As the docker CLI: a seccomp profile file is sent as its JSON content.
            if option.hasPrefix("seccomp="), option != "seccomp=unconfined" {
                let path = String(option.dropFirst("seccomp=".count))
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CoveError(.invalidInput, "opening seccomp profile (\(path)) failed: cannot read the file")
                }
                security.append("seccomp=" + String(decoding: data, as: UTF8.self))
            } else {
                security.append(option)
            }
        }
        host.securityOpt = security.isEmpty ? nil : security
        try resources.apply(to: &request, host: &host)
        request.hostConfig = host
        try lifecycle.apply(to: &request, autoRemove: autoRemove)
        return request
    }

    /// `512m`, `1g`, `1048576` → bytes (Docker's `units.RAMInBytes`).
    static func bytes(_ text: String, flag: String) throws(CoveError) -> Int64 {
        let lower = text.lowercased()
        let trimmed = lower.hasSuffix("b") ? String(lower.dropLast()) : lower
        let units: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
        var number = Substring(trimmed)
        var multiplier: Int64 = 1
        if let last = number.last, let unit = units[last] {
            multiplier = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0 else {
            throw CoveError(.invalidInput, "invalid argument \"\(text)\" for \"\(flag)\"")
        }
        return Int64(value * Double(multiplier))
    }

    /// Creates the container; its id.
    func create(_ client: EngineClient, autoRemove: Bool, interactive: Bool = false) async throws(CoveError) -> String {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(try request(autoRemove: autoRemove, interactive: interactive)))
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.internalError, "cannot encode the create request", cause: "\(error)")
        }
        let response = try await client.send(
            method: "POST", path: "/containers/create", query: name.map { [("name", $0)] } ?? [], body: body)
        return try ContainerCommandSupport.decode(ContainerCreateResponse.self, response.body, what: "create").id
    }
}
