import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import CoveStore
import Foundation
import NIOPosix

extension ImageRoutes {
    /// `POST /images/load`: `docker load` of a `docker save` archive or an OCI image layout archive.
    ///
    /// The body is spooled to a file in the content store's ingest directory (libarchive reads
    /// synchronously, the body arrives asynchronously), then read entry by entry on NIO's blocking
    /// thread pool: every blob is streamed into the content store with its digest checked, held
    /// by a lease until its image is registered. A bad archive leaves no image behind and its
    /// blobs to the next collection.
    func load(_ context: RouteContext) async -> APIResponse {
        do {
            guard let body = context.bodyStream else {
                throw CoveError(.internalError, "the load route got no body stream")
            }
            let spool = try await spoolBody(body, limit: importLimit)
            defer { try? FileManager.default.removeItem(at: spool) }
            let lease = repository.leases.begin()
            defer { lease.end() }
            let routes = self
            let registrations = try await Self.onThreadPool { () throws(CoveError) in
                try routes.readImages(at: spool.path, lease: lease)
            }
            var loaded: [LoadedImage] = []
            for registration in registrations {
                let stored = try await prepareAndRegister(registration)
                loaded.append(LoadedImage(id: stored.id, references: registration.references))
                emitImage("load", id: stored.id.description)
            }
            let lines = loaded.flatMap { image in
                image.references.isEmpty
                    ? ["Loaded image ID: \(image.id)\n"]
                    : image.references.map { "Loaded image: \($0.familiar)\n" }
            }
            var response = APIResponse(status: 200, headers: [HTTPField("Content-Type", "application/json")])
            response.body = lines.flatMap { line in APIResponse.jsonLine(ProgressMessage(stream: line)) ?? [] }
            return response
        } catch let error as CoveError {
            return Self.errorResponse(error)
        } catch {
            return Self.errorResponse(CoveError(.internalError, "load failed", cause: "\(error)"))
        }
    }

    /// An image registered by a load, and the names it got.
    struct LoadedImage {
        var id: Digest
        var references: [ImageReference]
    }

    /// Reads the archive at `path` into the content store (its blobs held by `lease`) and returns
    /// the registrations of its images.
    func readImages(at path: String, lease: BlobLease) throws(CoveError) -> [ImageRegistration] {
        let content = repository.content
        let contents = try Self.readArchive(at: path, into: content, lease: lease)
        let planner = ImageArchivePlanner(
            contents: contents, platform: Platform(os: "linux", architecture: architecture))
        let images = try planner.images(
            read: { digest throws(CoveError) in try content.read(digest, maximumSize: 8 << 20) },
            describeLayer: { digest throws(CoveError) in
                (try Self.layerMediaType(of: digest, in: content), try content.size(of: digest))
            })
        guard !images.isEmpty else { throw CoveError(.invalidInput, "the archive holds no image for this platform") }
        return try images.map { image throws(CoveError) in
            let manifestDigest: Digest
            if let stored = image.manifestDigest {
                manifestDigest = stored
            } else {
                manifestDigest = try lease.write(try OCIJSON.encode(image.manifest), in: content).digest
            }
            return try ImageRegistration(
                manifest: image.manifest, manifestDigest: manifestDigest, config: image.config,
                references: image.references)
        }
    }

    /// Stores the archive's blobs and gathers its documents and links.
    static func readArchive(
        at path: String, into content: ContentStore, lease: BlobLease
    ) throws(CoveError) -> ImageArchiveContents {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw CoveError(.io, "cannot read the received archive", cause: "\(error)")
        }
        defer { try? handle.close() }
        let reader = try ArchiveReader(descriptor: handle.fileDescriptor, name: "the archive")
        var contents = ImageArchiveContents()
        while let entry = try reader.next() {
            let name = ImageArchiveContents.normalize(entry.path)
            switch entry.kind {
            case .regular:
                if ImageArchiveContents.documentNames.contains(name) {
                    contents.documents[name] = Data(
                        try reader.readAll(maximumSize: ImageArchiveContents.maximumDocumentSize))
                } else if ImageArchiveContents.isStored(name) {
                    contents.blobs[name] = try storeEntry(entry, named: name, from: reader, into: content, lease: lease)
                }
            case .symlink:
                contents.addLink(at: name, to: entry.linkTarget ?? "", symbolic: true)
            case .hardlink:
                contents.addLink(at: name, to: entry.linkTarget ?? "", symbolic: false)
            default:
                continue
            }
        }
        return contents
    }

    /// Streams the current entry into the content store; a blob under `blobs/sha256/` must hash to
    /// its name. A blob already stored is held and not written again.
    private static func storeEntry(
        _ entry: ArchiveEntry, named name: String, from reader: ArchiveReader, into content: ContentStore,
        lease: BlobLease
    ) throws(CoveError) -> Digest {
        var expected: Digest?
        if name.hasPrefix("blobs/") {
            let parts = name.split(separator: "/")
            guard parts.count == 3, parts[1] == "sha256" else {
                throw CoveError(.invalidInput, "unsupported blob path in the archive: \(name)")
            }
            expected = try Digest(sha256Hex: String(parts[2]))
        }
        if let expected {
            lease.hold(expected)
            if content.contains(expected) { return expected }
        }
        let writer = try content.writer(expected: expected, expectedSize: entry.size)
        do throws(CoveError) {
            var position: Int64 = 0
            try reader.readBlocks { block, offset throws(CoveError) in
                guard offset == position else {
                    throw CoveError(.invalidInput, "\(name) in the archive is a sparse file, which no blob can be")
                }
                try writer.write(block)
                position += Int64(block.count)
            }
            return try lease.commit(writer).digest
        } catch {
            writer.cancel()
            throw CoveError(.invalidInput, "cannot load \(name) from the archive: \(error.message)")
        }
    }

    /// The layer media type a stored blob's first bytes announce: gzip, zstd, or a plain tar.
    static func layerMediaType(of digest: Digest, in content: ContentStore) throws(CoveError) -> String {
        let handle = try content.open(digest)
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 6)).map(Array.init) ?? []
        switch compression(of: prefix) {
        case "gzip": return MediaType.ociLayerGzip
        case "zstd": return MediaType.ociLayerZstd
        case nil: return MediaType.ociLayer
        case let other?:
            throw CoveError(.invalidInput, "layer \(digest) is \(other)-compressed, which is not supported")
        }
    }

    /// Writes the body to a new file in the content store's ingest directory (removed at the next
    /// start if the daemon dies meanwhile); refuses bodies over `limit` bytes.
    func spoolBody(_ body: RequestBodyStream, limit: Int64) async throws(CoveError) -> URL {
        let url = repository.content.ingestDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: url)
        else {
            throw CoveError(.io, "cannot create \(url.path)")
        }
        defer { try? handle.close() }
        var size: Int64 = 0
        do {
            for try await chunk in body {
                size += Int64(chunk.readableBytes)
                guard size <= limit else {
                    throw CoveError(.invalidInput, "the request body is larger than \(limit) bytes")
                }
                try handle.write(contentsOf: Array(chunk.readableBytesView))
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            if let error = error as? CoveError { throw error }
            throw CoveError(.io, "cannot receive the request body", cause: "\(error)")
        }
        return url
    }

    /// Runs blocking work on NIO's thread pool, off the cooperative threads.
    static func onThreadPool<T: Sendable>(_ work: @escaping @Sendable () throws(CoveError) -> T) async throws(CoveError)
        -> T
    {
        do {
            return try await NIOThreadPool.singleton.runIfActive { try work() }
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.internalError, "background work failed", cause: "\(error)")
        }
    }
}
