import CoveCore
import CoveHTTP
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// What a cross-repository mount request came to.
public enum BlobMountResult: Sendable, Equatable {
    /// The registry linked the blob into the repository.
    case mounted
    /// The registry declined and opened an ordinary upload at this location instead.
    case uploadStarted(location: String)
}

extension RegistryClient {
    /// Downloads a blob straight into `store`, checking its size and digest as `descriptor` gives
    /// them; `progress` gets the bytes received so far after each piece. A blob that does not match
    /// leaves nothing in the store. Redirects (to a blob store) are followed when the target is
    /// reachable over plain HTTP.
    public func fetchBlob(
        repository: String, descriptor: Descriptor, into store: ContentStore,
        progress: @Sendable (Int64) -> Void = { _ in }
    ) async throws(CoveError) -> StoredBlob {
        var target = "/v2/\(repository)/blobs/\(descriptor.digest)"
        for _ in 0..<5 {
            let writer = try store.writer(expected: descriptor.digest, expectedSize: descriptor.size)
            let request = Request(
                method: .GET, target: target, scopes: [.pull(repository)], limits: Self.transferLimits)
            let outcome: BlobDownload = try await perform(request) { head, body in
                if [301, 302, 303, 307, 308].contains(head.status.code),
                    let location = head.headers.first(name: "Location")
                {
                    return .redirect(location)
                }
                guard head.status.code < 300 else {
                    let text = (try? await body.collect(upTo: Self.maximumDocumentSize)) ?? []
                    throw Self.failure(
                        status: head.status, body: text, host: self.host, what: "GET blob \(descriptor.digest)")
                }
                while let buffer = try await body.next() {
                    try writer.write(buffer.readableBytesView)
                    progress(writer.size)
                }
                return .done(try writer.commit())
            }
            switch outcome {
            case .done(let blob): return blob
            case .redirect(let location):
                writer.cancel()
                target = try sameHostTarget(location, what: "the redirect for blob \(descriptor.digest)")
            }
        }
        throw CoveError(.io, "registry \(host.domain) redirected blob \(descriptor.digest) too many times")
    }

    private enum BlobDownload: Sendable {
        case done(StoredBlob)
        case redirect(String)
    }

    /// `HEAD /v2/<repository>/blobs/<digest>`: whether the repository has the blob.
    public func blobExists(repository: String, digest: Digest) async throws(CoveError) -> Bool {
        let (head, body) = try await performCollecting(
            Request(method: .HEAD, target: "/v2/\(repository)/blobs/\(digest)", scopes: [.push(repository)]))
        if head.status.code < 300 { return true }
        if head.status.code == 404 { return false }
        throw Self.failure(status: head.status, body: body, host: host, what: "HEAD blob \(digest)")
    }

    /// Asks the registry to link a blob it holds in `source` into `repository`
    /// (`POST /v2/<repository>/blobs/uploads/?mount=<digest>&from=<source>`).
    public func mountBlob(repository: String, digest: Digest, from source: String) async throws(CoveError)
        -> BlobMountResult
    {
        let request = Request(
            method: .POST,
            target: "/v2/\(repository)/blobs/uploads/?mount=\(digest)&from=\(Self.encode(source))",
            headers: [("Content-Length", "0")], scopes: [.push(repository), .pull(source)])
        let (head, body) = try await performCollecting(request)
        switch head.status.code {
        case 201: return .mounted
        case 202: return .uploadStarted(location: try location(head, what: "the mount of \(digest)"))
        default: throw Self.failure(status: head.status, body: body, host: host, what: "mount blob \(digest)")
        }
    }

    /// `POST /v2/<repository>/blobs/uploads/`: opens an upload; returns its location.
    public func startUpload(repository: String) async throws(CoveError) -> String {
        let request = Request(
            method: .POST, target: "/v2/\(repository)/blobs/uploads/", headers: [("Content-Length", "0")],
            scopes: [.push(repository)])
        let (head, body) = try await performCollecting(request)
        guard head.status.code == 202 else {
            throw Self.failure(status: head.status, body: body, host: host, what: "start an upload to \(repository)")
        }
        return try location(head, what: "the upload to \(repository)")
    }

    /// Finishes the upload at `location` with the whole blob in one `PUT …?digest=` (monolithic),
    /// read from `store` in chunks; `progress` gets the bytes sent so far.
    public func upload(
        _ blob: StoredBlob, from store: ContentStore, to location: String, repository: String,
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(CoveError) {
        let handle = try store.open(blob.digest)
        defer { try? handle.close() }
        let separator = location.contains("?") ? "&" : "?"
        let reader = ChunkReader(handle: handle, progress: progress)
        let request = Request(
            method: .PUT, target: location + separator + "digest=\(Self.encode(blob.digest.description))",
            headers: [("Content-Type", "application/octet-stream"), ("Content-Length", String(blob.size))],
            body: .producer { try reader.next() }, scopes: [.push(repository)], limits: Self.transferLimits)
        let (head, body) = try await performCollecting(request)
        guard head.status.code == 201 || head.status.code == 204 else {
            throw Self.failure(status: head.status, body: body, host: host, what: "upload blob \(blob.digest)")
        }
    }

    /// The `Location` of an answer as a request target on this registry.
    private func location(_ head: HTTPResponseHead, what: String) throws(CoveError) -> String {
        guard let location = head.headers.first(name: "Location"), !location.isEmpty else {
            throw CoveError(.io, "registry \(host.domain) gave no Location for \(what)")
        }
        return try sameHostTarget(location, what: what)
    }

    /// A `Location` value (a path, or an absolute `http://` URL on this registry) as a request target.
    func sameHostTarget(_ location: String, what: String) throws(CoveError) -> String {
        if location.hasPrefix("/") { return location }
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased(), let urlHost = url.host else {
            throw CoveError(.io, "registry \(host.domain) sent an invalid location for \(what): \(location)")
        }
        let server = url.port.map { "\(urlHost):\($0)" } ?? urlHost
        let sameHost = server == host.hostHeader || (url.port == nil && "\(urlHost):80" == host.hostHeader)
        guard scheme == "http", sameHost else {
            throw CoveError(
                .io,
                "registry \(host.domain) sent \(what) to \(location), another host or https, which cove cannot follow yet"
            )
        }
        let path = url.path.isEmpty ? "/" : (URLComponents(string: location)?.percentEncodedPath ?? url.path)
        return url.query.map { path + "?" + $0 } ?? path
    }
}

/// Reads a file in upload-sized chunks and reports how much was read. Used by one upload at a time.
private final class ChunkReader: Sendable {
    private let handle: FileHandle
    private let progress: @Sendable (Int64) -> Void
    private let sent = Mutex<Int64>(0)

    init(handle: FileHandle, progress: @escaping @Sendable (Int64) -> Void) {
        self.handle = handle
        self.progress = progress
    }

    func next() throws -> [UInt8]? {
        guard let data = try handle.read(upToCount: HTTPConnection.uploadChunkSize), !data.isEmpty else { return nil }
        progress(
            sent.withLock { total in
                total += Int64(data.count)
                return total
            })
        return Array(data)
    }
}
