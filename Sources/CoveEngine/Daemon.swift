import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import CoveRuntime
import CoveStore
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The engine daemon: claims its root, serves the Docker Engine API on a UNIX socket in the
/// foreground, and on SIGTERM or SIGINT stops accepting, closes its connections, removes its
/// socket and pid file, and returns.
public final class Daemon {
    public let configuration: DaemonConfiguration
    private let logger: Logger

    public init(configuration: DaemonConfiguration) {
        self.configuration = configuration
        var logger = Logger(label: "cove.daemon") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = configuration.debug ? .debug : .info
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT.
    ///
    /// - Throws: `CoveError` when the daemon cannot start: another daemon holds the root or
    ///   answers on the socket, something that is not a socket is in its place, or a directory,
    ///   lock or socket cannot be made. Nothing it made is left behind.
    public func run() throws(CoveError) {
        let trigger = ShutdownTrigger()
        let logger = logger
        let watcher = SignalWatcher([.terminate, .interrupt], queue: DispatchQueue(label: "cove.daemon.signals")) {
            signal in
            logger.info("received \(signal), shutting down")
            trigger.request(signal)
        }
        defer { watcher.cancel() }

        let root = try DaemonRoot.claim(configuration)
        defer { releaseRoot(root) }
        try prepareSocketPath()

        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        defer { shutDown(group) }
        let images = try openImages()
        let router = Router(
            serverVersion: configuration.version, routes: try makeRoutes(engineID: root.engineID, images: images))
        let channel = try HTTPServer.bind(
            socketPath: configuration.socketPath, router: router, logger: logger, group: group)
        defer { removeSocket() }
        do {
            try restrictSocketAccess()
        } catch {
            try? channel.close().wait()
            throw error
        }
        trigger.attach(channel)
        let pid = ProcessInfo.processInfo.processIdentifier
        let listening =
            "listening on \(configuration.socketPath), root \(configuration.root), API \(APIVersion.current)"
        logger.info("cove daemon \(configuration.version) (pid \(pid)) \(listening)")
        do {
            try channel.closeFuture.wait()
        } catch {
            throw CoveError(.io, "the listening socket failed", cause: "\(error)")
        }
        logger.info("stopped listening on \(configuration.socketPath)")
    }

    private func makeRoutes(engineID: String, images: ImageRepository) throws(CoveError) -> [Route] {
        let engine = EngineIdentity(
            version: configuration.version, id: engineID, root: configuration.root, debug: configuration.debug)
        let architecture = Architecture.goName(forMachine: HostFacts.current().machine)
        let store = try SnapshotStore(root: configuration.root + "/snapshots")
        let stale = try store.removeStaleIngests()
        if stale > 0 { logger.info("removed \(stale) unfinished layer unpack(s) left in \(store.root)/ingest") }
        let snapshots = ImageSnapshots(store: store, repository: images)
        let registries = RegistryAccess(
            insecure: Set(configuration.insecureRegistries),
            unpackLayers: { registration, _ in try await snapshots.prepare(registration) })
        let events = EventBus()
        let containers = try openContainers(images: images, snapshots: snapshots, events: events)
        var imageRoutes = ImageRoutes(
            repository: images, architecture: architecture, registries: registries, snapshots: snapshots)
        imageRoutes.events = events
        return SystemRoutes(engine: engine).routes + imageRoutes.routes + ContainerRoutes(service: containers).routes
            + VolumeRoutes(service: containers.volumes).routes
            + ExecRoutes(service: ExecService(containers: containers)).routes + EventRoutes(bus: events).routes
    }

    /// The container service, with the shim beside this executable; adopts the containers an
    /// earlier daemon left running and records the exits it missed.
    private func openContainers(images: ImageRepository, snapshots: ImageSnapshots, events: EventBus)
        throws(CoveError)
        -> ContainerService
    {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let shim = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("cove-shim").path
        if !FileManager.default.isExecutableFile(atPath: shim) {
            logger.warning("no cove-shim at \(shim): containers cannot be created")
        }
        var runtime = Runtime.forHost(shimPath: shim, cgroupParent: configuration.cgroupParent)
        runtime.seccompCacheDirectory = configuration.root + "/seccomp"
        let service = try ContainerService(
            repository: ContainerRepository(state: images.state), images: images, snapshots: snapshots,
            runtime: runtime,
            volumes: VolumeService(
                repository: VolumeRepository(state: images.state), root: configuration.root, events: events),
            root: configuration.root, events: events)
        let logger = logger
        let adoption = DispatchSemaphore(value: 0)
        Task {
            do {
                let adopted = try await service.adoptAll()
                if adopted > 0 { logger.info("adopted \(adopted) running container(s)") }
            } catch {
                logger.error("adopting containers: \(error)")
            }
            adoption.signal()
        }
        adoption.wait()
        return service
    }

    /// Opens the image state: the content store at `<root>/content` (dropping ingest files a
    /// crash left) and the state database at `<root>/state.db`.
    private func openImages() throws(CoveError) -> ImageRepository {
        let root = URL(fileURLWithPath: configuration.root, isDirectory: true)
        let content = try ContentStore(root: root.appendingPathComponent("content", isDirectory: true))
        let stale = try content.removeStaleIngests()
        if stale > 0 { logger.info("removed \(stale) unfinished blob(s) left in \(content.ingestDirectory.path)") }
        let state = try StateStore(root: root)
        return ImageRepository(state: state, content: content)
    }

    /// Makes the socket's directory and clears its path: a stale socket is removed, a live one
    /// or anything that is not a socket is an error.
    private func prepareSocketPath() throws(CoveError) {
        let socket = configuration.socketPath
        let directory = String(socket[..<(socket.lastIndex(of: "/") ?? socket.startIndex)])
        if !directory.isEmpty { try Directory.create(directory, mode: 0o755) }
        switch try SocketFile.state(of: socket) {
        case .absent:
            return
        case .stale:
            try SocketFile.remove(socket)
            logger.info("removed stale socket \(socket): no daemon answered on it")
        case .listening:
            throw CoveError(.invalidInput, "another daemon is already serving on \(socket)")
        case .notASocket:
            throw CoveError(.invalidInput, "\(socket) exists and is not a socket; not removing it")
        }
    }

    private func restrictSocketAccess() throws(CoveError) {
        let socket = configuration.socketPath
        switch try SocketFile.restrictAccess(socket, mode: 0o660, group: "cove") {
        case .applied:
            logger.debug("socket \(socket) is mode 0660, group cove")
        case .groupAbsent:
            logger.debug("socket \(socket) is mode 0660; no group cove exists, so it keeps the daemon's group")
        case .notPermitted:
            logger.warning("socket \(socket): not permitted to give it to group cove; it keeps the daemon's group")
        }
    }

    private func removeSocket() {
        do {
            try SocketFile.remove(configuration.socketPath)
        } catch {
            logger.error("\(error)")
        }
    }

    private func releaseRoot(_ root: DaemonRoot) {
        do {
            try root.release()
        } catch {
            logger.error("\(error)")
        }
    }

    private func shutDown(_ group: MultiThreadedEventLoopGroup) {
        do {
            try group.syncShutdownGracefully()
        } catch {
            logger.error("event loops did not shut down: \(error)")
        }
    }
}
