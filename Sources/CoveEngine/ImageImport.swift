import CoveAPI
import CoveCore
import CoveImage
import CoveStore
import Foundation

extension ImageRoutes {
    /// `POST /images/create`: `docker pull` (`fromImage`, see `pull`), or `docker import` from the
    /// request body (`fromSrc=-`).
    ///
    /// The body, a rootfs tar, is streamed into a `BlobWriter` (never held in memory) and becomes
    /// the image's one layer; a config (this host's platform, `changes` applied) and an OCI
    /// manifest are written as blobs and the image is registered under `repo`/`tag`. A body that
    /// is compressed, too large or cut short by a disconnect leaves no blob and no image behind.
    func create(_ context: RouteContext) async -> APIResponse {
        do {
            let query = QueryParameters(context.request.query)
            if let image = query["fromImage"], !image.isEmpty {
                return await pull(image, context: context)
            }
            guard query["fromSrc"] == "-" else {
                throw CoveError(.invalidInput, "only fromSrc=- (an import from the request body) is supported")
            }
            guard let body = context.bodyStream else {
                throw CoveError(.internalError, "the import route got no body stream")
            }
            let repo = query["repo"] ?? ""
            let reference = repo.isEmpty ? nil : try Self.reference(repo: repo, tag: query["tag"] ?? "")
            var containerConfig = ContainerConfig()
            for change in query.all("changes") where !change.isEmpty {
                try ImageChanges.apply(change, to: &containerConfig)
            }
            let lease = repository.leases.begin()
            defer { lease.end() }
            let layer = try await storeLayer(body, lease: lease)
            let id = try await registerImport(
                layer: layer, lease: lease, config: containerConfig, message: query["message"] ?? "",
                reference: reference)
            emitImage("import", id: id.description)
            return .json(ProgressMessage(status: id.description))
        } catch let error as CoveError {
            return Self.errorResponse(error)
        } catch {
            return Self.errorResponse(CoveError(.internalError, "import failed", cause: "\(error)"))
        }
    }

    /// Streams the body into a new blob held by `lease`; the writer is cancelled on every failure.
    func storeLayer(_ body: RequestBodyStream, lease: BlobLease) async throws(CoveError) -> StoredBlob {
        let writer = try repository.content.writer(limit: importLimit)
        var prefix: [UInt8] = []
        do {
            for try await chunk in body {
                if prefix.count < 6 {
                    prefix += chunk.readableBytesView.prefix(6 - prefix.count)
                    if let format = Self.compression(of: prefix) {
                        throw CoveError(.invalidInput, "compressed import not supported yet (the body is \(format))")
                    }
                }
                try writer.write(Data(chunk.readableBytesView))
            }
        } catch let error as CoveError {
            writer.cancel()
            throw error
        } catch {
            writer.cancel()
            throw CoveError(.io, "cannot read the import body", cause: "\(error)")
        }
        guard writer.size > 0 else {
            writer.cancel()
            throw CoveError(.invalidInput, "the import body is empty: expected a tar archive")
        }
        return try lease.commit(writer)
    }

    /// Writes the config and manifest of an imported layer and registers the image; returns its id.
    func registerImport(
        layer: StoredBlob, lease: BlobLease, config: ContainerConfig, message: String, reference: ImageReference?
    ) async throws(CoveError) -> Digest {
        let created = Timestamp.rfc3339Nano(secondsSince1970: clock().timeIntervalSince1970)
        let imageConfig = ImageConfig(
            architecture: architecture, os: "linux", config: config, rootfs: RootFS(diffIDs: [layer.digest]),
            history: [History(created: created, createdBy: "cove import", comment: message.isEmpty ? nil : message)],
            created: created)
        let content = repository.content
        let configBlob = try lease.write(try OCIJSON.encode(imageConfig), in: content)
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
            layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size)])
        let manifestBlob = try lease.write(try OCIJSON.encode(manifest), in: content)
        let registration = try ImageRegistration(
            manifest: manifest, manifestDigest: manifestBlob.digest, config: imageConfig,
            references: reference.map { [$0] } ?? [])
        return try await prepareAndRegister(registration).id
    }

    /// The compression format the first bytes announce, or nil for anything else (a plain tar).
    static func compression(of prefix: [UInt8]) -> String? {
        let formats: [(magic: [UInt8], name: String)] = [
            ([0x1F, 0x8B], "gzip"), ([0x42, 0x5A, 0x68], "bzip2"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz"), ([0x28, 0xB5, 0x2F, 0xFD], "zstd"),
        ]
        return formats.first { prefix.count >= $0.magic.count && prefix.starts(with: $0.magic) }?.name
    }
}
