import CoveAPI
import CoveCore
import CoveImage
import CoveStore

/// How the engine reaches registries for pull, push and `/auth`.
public struct RegistryAccess: Sendable {
    /// Unpacks the layers of a pulled image into snapshots; reports its own progress lines.
    public typealias LayerUnpacker =
        @Sendable (_ registration: ImageRegistration, _ progress: @escaping ProgressSink) async throws -> Void

    /// The daemon's `--insecure-registry` values (`host[:port]`): registries reached over plain HTTP
    /// although they are not on a loopback address.
    public var insecure: Set<String>
    /// How many layers a pull downloads at once (Docker's default is 3).
    public var maximumConcurrentDownloads: Int
    /// How many layers a push uploads at once (Docker's default is 5).
    public var maximumConcurrentUploads: Int
    /// Where a pull's layers are unpacked, once they are all in the content store and before the
    /// image is registered; nil leaves them packed.
    public var unpackLayers: LayerUnpacker?

    public init(
        insecure: Set<String> = [], maximumConcurrentDownloads: Int = 3, maximumConcurrentUploads: Int = 5,
        unpackLayers: LayerUnpacker? = nil
    ) {
        self.insecure = insecure
        self.maximumConcurrentDownloads = max(1, maximumConcurrentDownloads)
        self.maximumConcurrentUploads = max(1, maximumConcurrentUploads)
        self.unpackLayers = unpackLayers
    }

    /// A client for the registry of `reference`, with the credentials of an `X-Registry-Auth` value.
    func client(for reference: ImageReference, auth: RegistryAuthConfig?) throws(CoveError) -> RegistryClient {
        let host = try RegistryHost.resolve(reference.domain, insecure: insecure)
        return RegistryClient(host: host, credentials: auth.map(Self.credentials), insecure: insecure)
    }

    static func credentials(_ auth: RegistryAuthConfig) -> RegistryCredentials {
        let (username, password) = auth.resolved
        return RegistryCredentials(username: username, password: password)
    }
}

/// Receives the progress lines of a pull or a push, from any task.
public typealias ProgressSink = @Sendable (ProgressMessage) -> Void
