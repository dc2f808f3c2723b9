import CoveAPI
import CoveLinux
import Foundation

/// The system endpoints: `/_ping`, `/version`, `/info`.
///
/// The machine's facts, the clock and the descriptor count are read through closures, so tests give fixed ones.
public struct SystemRoutes: Sendable {
    public var engine: EngineIdentity
    public var hostFacts: @Sendable () -> HostFacts
    public var clock: @Sendable () -> Date
    /// The daemon's open file descriptors (`NFd`), when known.
    public var openFileDescriptors: @Sendable () -> Int?

    public init(
        engine: EngineIdentity, hostFacts: @escaping @Sendable () -> HostFacts = { HostFacts.current() },
        clock: @escaping @Sendable () -> Date = { Date() },
        openFileDescriptors: @escaping @Sendable () -> Int? = { ProcessStats.openFileDescriptorCount() }
    ) {
        self.engine = engine
        self.hostFacts = hostFacts
        self.clock = clock
        self.openFileDescriptors = openFileDescriptors
    }

    /// The routes, for `Router`.
    public var routes: [Route] {
        [
            Route(["GET", "HEAD"], "/_ping") { context in ping(method: context.request.method) },
            Route(["GET"], "/version") { _ in .json(version(hostFacts())) },
            Route(["GET"], "/info") { _ in .json(info(hostFacts(), now: clock())) },
        ]
    }

    /// `OK`, with the headers Docker's `/_ping` sends; a `HEAD` gets the headers and no body.
    func ping(method: String) -> APIResponse {
        var response = APIResponse.text(method == "HEAD" ? "" : "OK")
        response.setHeader("Docker-Experimental", "false")
        response.setHeader("Cache-Control", "no-cache, no-store, must-revalidate")
        response.setHeader("Pragma", "no-cache")
        return response
    }

    /// The `/version` body for this engine on a machine with `facts`.
    public func version(_ facts: HostFacts) -> SystemVersion {
        let arch = Architecture.goName(forMachine: facts.machine)
        let details: [String: String] = [
            "ApiVersion": APIVersion.current.description,
            "MinAPIVersion": APIVersion.minimum.description,
            "GoVersion": SwiftToolchain.version,
            "Os": "linux",
            "Arch": arch,
            "KernelVersion": facts.kernelVersion,
            "Experimental": "false",
        ]
        return SystemVersion(
            platform: .init(name: "Cove Engine"),
            components: [.init(name: "Engine", version: engine.version, details: details)],
            version: engine.version,
            apiVersion: APIVersion.current.description,
            minAPIVersion: APIVersion.minimum.description,
            goVersion: SwiftToolchain.version,
            os: "linux",
            arch: arch,
            kernelVersion: facts.kernelVersion,
            experimental: false
        )
    }

    /// The `/info` body for this engine on a machine with `facts` at time `now`.
    ///
    /// This slice has no object store yet, so the counts of containers and images are truly 0.
    public func info(_ facts: HostFacts, now: Date) -> SystemInfo {
        SystemInfo(
            id: engine.id,
            driver: "cove-overlay",
            dockerRootDir: engine.root,
            debug: engine.debug,
            systemTime: Timestamp.rfc3339Nano(secondsSince1970: now.timeIntervalSince1970),
            nFd: openFileDescriptors(),
            cgroupDriver: facts.cgroupLayout == .none ? "none" : "cgroupfs",
            cgroupVersion: facts.cgroupLayout.dockerVersion,
            kernelVersion: facts.kernelVersion,
            operatingSystem: facts.operatingSystem,
            osVersion: facts.osVersion,
            osType: "linux",
            architecture: facts.machine,
            ncpu: facts.cpuCount,
            memTotal: facts.memoryTotal,
            name: facts.hostname,
            serverVersion: engine.version
        )
    }
}
