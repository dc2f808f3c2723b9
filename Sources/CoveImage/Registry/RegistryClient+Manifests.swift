import CoveCore
import Foundation
import NIOHTTP1

/// A manifest or index as a registry served it: the exact bytes (whose digest names it), the media
/// type from `Content-Type`, and that digest.
public struct FetchedManifest: Sendable {
    public var data: Data
    public var mediaType: String?
    public var digest: Digest

    /// The decoded document.
    public func decoded() throws(CoveError) -> ManifestContent {
        try ManifestContent.decode(data, mediaType: mediaType)
    }
}

extension RegistryClient {
    /// The manifest types a pull accepts, most wanted first.
    static let manifestAccept = [
        MediaType.ociIndex, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.dockerManifest,
    ].joined(separator: ", ")

    /// `GET /v2/<repository>/manifests/<reference>` (a tag or a digest). The bytes are checked
    /// against the digest when the reference is one.
    public func manifest(repository: String, reference: String, scopes: [RegistryScope]? = nil)
        async throws(CoveError) -> FetchedManifest
    {
        let what = "GET manifest \(repository):\(reference)"
        let request = Request(
            method: .GET, target: "/v2/\(repository)/manifests/\(reference)",
            headers: [("Accept", Self.manifestAccept)], scopes: scopes ?? [.pull(repository)])
        let (head, body) = try await performCollecting(request)
        guard head.status.code < 300 else {
            let error = Self.failure(status: head.status, body: body, host: host, what: what)
            guard error.code == .notFound else { throw error }
            throw CoveError(
                .notFound, "manifest for \(host.domain)/\(repository):\(reference) not found: \(error.message)")
        }
        let digest = Digest.sha256(of: body)
        if let expected = try? Digest(parsing: reference), expected != digest {
            throw CoveError(
                .invalidInput,
                "registry \(host.domain) sent a manifest for \(repository)@\(expected) whose digest is \(digest)")
        }
        return FetchedManifest(data: Data(body), mediaType: head.headers.first(name: "Content-Type"), digest: digest)
    }

    /// `PUT /v2/<repository>/manifests/<reference>` with the manifest's exact bytes; returns the digest
    /// the registry reports (or the bytes' own when it reports none).
    @discardableResult
    public func putManifest(repository: String, reference: String, data: Data, mediaType: String)
        async throws(CoveError) -> Digest
    {
        let request = Request(
            method: .PUT, target: "/v2/\(repository)/manifests/\(reference)",
            headers: [("Content-Type", mediaType), ("Content-Length", String(data.count))], body: .bytes(Array(data)),
            scopes: [.push(repository)])
        let (head, body) = try await performCollecting(request)
        guard head.status.code < 300 else {
            throw Self.failure(
                status: head.status, body: body, host: host, what: "PUT manifest \(repository):\(reference)")
        }
        let reported = head.headers.first(name: "Docker-Content-Digest").flatMap { try? Digest(parsing: $0) }
        return reported ?? Digest.sha256(of: data)
    }
}
