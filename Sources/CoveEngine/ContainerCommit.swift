import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import CoveStore
import Foundation

extension ContainerRoutes {
    var commitRoutes: [Route] {
        [
            Route(["POST"], "/commit") { context in
                await Self.answer { () async throws(CoveError) in try await commit(context) }
            },
            Route(["GET"], "/containers/{name}/changes") { context in
                await Self.answer { () async throws(CoveError) in
                    let record = try service.repository.resolve(context.pathParameter ?? "")
                    let lowers = try await service.lowerDirectories(record)
                    let upper = service.upperDirectory(record.id)
                    return .json(
                        try await ContainerService.blocking { () throws(CoveError) in
                            try ContainerChanges.compute(upper: upper, lowers: lowers)
                        })
                }
            },
        ]
    }

    /// `POST /commit?container=&repo=&tag=&comment=&author=&pause=&changes=` → `{"Id": …}`.
    ///
    /// The container's upper directory becomes one more layer over its image's (an uncompressed
    /// tar, whiteouts as `.wh.` files, as `import` stores layers); the config is the image's
    /// with the container's command, environment, entrypoint, working directory, user and
    /// labels, then the body's config and the `changes` (Dockerfile instructions). A running
    /// container is paused while its layer is read, unless `pause=false`.
    func commit(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let record = try service.repository.resolve(query["container"] ?? "")
        guard let base = try service.images.image(record.imageID) else {
            throw CoveError(.notFound, "No such image: \(record.imageName)")
        }
        let repo = query["repo"] ?? ""
        let reference = repo.isEmpty ? nil : try ImageRoutes.reference(repo: repo, tag: query["tag"] ?? "")
        let content = service.images.content
        var imageConfig = try OCIJSON.decode(
            ImageConfig.self, from: try content.read(base.id, maximumSize: 8 << 20), document: "image config")
        var config = ContainerCommit.config(
            imageConfig.config ?? ContainerConfig(), container: try ContainerService.decode(record.config))
        if !context.request.body.isEmpty,
            let body = try? JSONDecoder().decode(
                ContainerConfig.self, from: Data(context.request.body))
        {
            ContainerCommit.override(&config, with: body)
        }
        for change in query.all("changes") where !change.isEmpty {
            try ImageChanges.apply(change, to: &config)
        }
        let pause = query["pause"].map { $0.isEmpty || query.bool("pause") } ?? true
        let paused = pause && record.status == "running" && (try? service.pause(record.id, true)) != nil
        defer { if paused { try? service.pause(record.id, false) } }
        let lease = service.images.leases.begin()
        defer { lease.end() }
        let layer = try await ContainerCommit.storeLayer(
            upper: service.upperDirectory(record.id), content: content, lease: lease)
        let created = Timestamp.rfc3339Nano(secondsSince1970: Date().timeIntervalSince1970)
        let author = query["author"] ?? ""
        let comment = query["comment"] ?? ""
        imageConfig.config = config
        imageConfig.rootfs.diffIDs.append(layer.digest)
        imageConfig.history =
            (imageConfig.history ?? []) + [
                History(
                    created: created, createdBy: ContainerCommit.createdBy(record),
                    author: author.isEmpty ? nil : author, comment: comment.isEmpty ? nil : comment)
            ]
        imageConfig.created = created
        imageConfig.author = author.isEmpty ? nil : author
        let configBlob = try lease.write(try OCIJSON.encode(imageConfig), in: content)
        let layers = base.layers.sorted { $0.position < $1.position }.map {
            Descriptor(mediaType: $0.mediaType, digest: $0.blobDigest, size: $0.size)
        }
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
            layers: layers + [Descriptor(mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size)])
        let manifestBlob = try lease.write(try OCIJSON.encode(manifest), in: content)
        let registration = try ImageRegistration(
            manifest: manifest, manifestDigest: manifestBlob.digest, config: imageConfig,
            references: reference.map { [$0] } ?? [])
        if let snapshots = service.snapshots { try await snapshots.prepare(registration) }
        let image = try service.images.register(registration, now: Date())
        return .json(ContainerCommitResponse(id: image.id.description), status: 201)
    }
}

/// The pieces of a commit that need no route: the new config and the new layer.
enum ContainerCommit {
    /// The image's config with what the container was created with over it.
    static func config(_ image: ContainerConfig, container: ContainerCreateRequest) -> ContainerConfig {
        var config = image
        if let env = container.env { config.env = env }
        if let cmd = container.cmd { config.cmd = cmd.values }
        if let entrypoint = container.entrypoint { config.entrypoint = entrypoint.values }
        if let workingDir = container.workingDir, !workingDir.isEmpty { config.workingDir = workingDir }
        if let user = container.user, !user.isEmpty { config.user = user }
        if let labels = container.labels, !labels.isEmpty { config.labels = labels }
        if let signal = container.stopSignal, !signal.isEmpty { config.stopSignal = signal }
        return config
    }

    /// The commit request body's config over `config`: each field it sets wins; its `Env`
    /// entries replace those of the same name.
    static func override(_ config: inout ContainerConfig, with body: ContainerConfig) {
        if let env = body.env {
            let names = Set(env.map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0 })
            config.env =
                (config.env ?? []).filter {
                    !names.contains($0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0)
                }
                + env
        }
        if let cmd = body.cmd { config.cmd = cmd }
        if let entrypoint = body.entrypoint { config.entrypoint = entrypoint }
        if let workingDir = body.workingDir, !workingDir.isEmpty { config.workingDir = workingDir }
        if let user = body.user, !user.isEmpty { config.user = user }
        if let labels = body.labels { config.labels = (config.labels ?? [:]).merging(labels) { $1 } }
        if let ports = body.exposedPorts { config.exposedPorts = ports }
        if let volumes = body.volumes { config.volumes = volumes }
    }

    /// The history line of the commit: the container's command, as Docker writes it.
    static func createdBy(_ record: ContainerRecord) -> String {
        let config = try? ContainerService.decode(record.config)
        let command = (config?.entrypoint?.values ?? []) + (config?.cmd?.values ?? [])
        return command.joined(separator: " ")
    }

    /// Writes `upper` as a layer tar (`TreeArchiver`'s layer layout) into a blob held by `lease`.
    static func storeLayer(upper: String, content: ContentStore, lease: BlobLease) async throws(CoveError)
        -> StoredBlob
    {
        let file = content.ingestDirectory.appendingPathComponent("commit-\(UUID().uuidString).tar").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await ContainerService.blocking { () throws(CoveError) in
            try writeLayer(upper: upper, to: file)
        }
        let input: FileHandle
        do {
            input = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        } catch {
            throw CoveError(.io, "cannot open \(file)", cause: "\(error)")
        }
        defer { try? input.close() }
        let writer = try content.writer()
        while true {
            let chunk: Data
            do {
                chunk = try input.read(upToCount: 1 << 20) ?? Data()
            } catch {
                writer.cancel()
                throw CoveError(.io, "cannot read \(file)", cause: "\(error)")
            }
            if chunk.isEmpty { break }
            try writer.write(chunk)
        }
        return try lease.commit(writer)
    }

    /// The layer tar of an overlayfs upper directory, without the runtime's mount points.
    static func writeLayer(upper: String, to path: String) throws(CoveError) {
        let writer = try ArchiveWriter(path: path, format: .pax)
        try TreeArchiver.write(
            try RootedDirectory(path: upper), from: RootedPath(""), prefix: "", layout: .layer,
            excluding: ContainerChanges.mountPoints, to: writer)
        try writer.finish()
    }
}
