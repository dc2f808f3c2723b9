import CoveAPI
import CoveCore
import CoveLinux
import CoveRuntime
import CoveStore
import Foundation

extension ContainerRoutes {
    var archiveRoutes: [Route] {
        [
            Route(["HEAD"], "/containers/{name}/archive") { context in
                await Self.answer { () async throws(CoveError) in
                    let (_, lookup) = try await locate(context)
                    return APIResponse(
                        status: 200, headers: [HTTPField(ContainerPathStat.headerName, lookup.stat.headerValue)])
                }
            },
            Route(["GET"], "/containers/{name}/archive") { context in
                await Self.answer { () async throws(CoveError) in try await getArchive(context) }
            },
            Route(["PUT"], "/containers/{name}/archive", streamsBody: true) { context in
                await Self.answer { () async throws(CoveError) in try await putArchive(context) }
            },
            Route(["GET"], "/containers/{name}/export") { context in
                await Self.answer { () async throws(CoveError) in try await export(context) }
            },
        ]
    }

    /// The container's root and the `path` query parameter found in it; Docker's 404 otherwise.
    func locate(_ context: RouteContext) async throws(CoveError) -> (RootedDirectory, ContainerPathLookup) {
        let path = QueryParameters(context.request.query)["path"] ?? ""
        guard !path.isEmpty else { throw CoveError(.invalidInput, "the path parameter is required") }
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let root = try RootedDirectory(path: try await service.mountedRoot(record))
        guard let lookup = try ContainerPathLookup(path, in: root) else {
            throw CoveError(.notFound, "Could not find the file \(path) in container \(context.pathParameter ?? "")")
        }
        return (root, lookup)
    }

    /// `GET /containers/{id}/archive?path=`: a tar of the path, its top entry named after the
    /// path's last component, and the path-stat header.
    func getArchive(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let (root, lookup) = try await locate(context)
        nonisolated(unsafe) let directory = root
        let start = lookup.path
        let prefix = lookup.name == "/" ? "." : lookup.name
        return TarStream.response(
            name: "the archive of \(lookup.name)",
            headers: [HTTPField(ContainerPathStat.headerName, lookup.stat.headerValue)]
        ) { (writer) throws(CoveError) in
            try TreeArchiver.write(directory, from: start, prefix: prefix, to: writer)
        }
    }

    /// `GET /containers/{id}/export`: the merged root filesystem as a tar.
    func export(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let record = try service.repository.resolve(context.pathParameter ?? "")
        nonisolated(unsafe) let root = try RootedDirectory(path: try await service.mountedRoot(record))
        return TarStream.response(name: "the export of \(record.name)") { (writer) throws(CoveError) in
            try TreeArchiver.write(root, from: RootedPath(""), prefix: "", to: writer)
        }
    }

    /// `PUT /containers/{id}/archive?path=&noOverwriteDirNonDir=&copyUIDGID=`: extracts the tar
    /// body into the directory `path`, symlinks on the way followed inside the container's root
    /// (the last one too, as Docker does). The body is spooled to a file beside the container first.
    func putArchive(_ context: RouteContext) async throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let path = query["path"] ?? ""
        guard !path.isEmpty else { throw CoveError(.invalidInput, "the path parameter is required") }
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let root = try RootedDirectory(path: try await service.mountedRoot(record))
        guard let destination = try root.resolve(RootedPath(path)), let status = try root.status(destination) else {
            throw CoveError(.notFound, "Could not find the file \(path) in container \(context.pathParameter ?? "")")
        }
        guard status.kind == .directory else {
            throw CoveError(.invalidInput, "extraction point is not a directory")
        }
        guard let body = context.bodyStream else { throw CoveError(.internalError, "the route got no body stream") }
        if try ContainerService.decode(record.config).hostConfig?.readonlyRootfs == true {
            throw CoveError(.conflict, "container rootfs is marked read-only")
        }
        let owner = query.bool("copyUIDGID") ? try containerOwner(record, root: root) : nil
        let spool = service.directory(record.id) + "/archive-\(UUID().uuidString).tar"
        defer { try? FileManager.default.removeItem(atPath: spool) }
        try await Self.spool(body, to: spool)
        nonisolated(unsafe) let extractor = ArchiveExtractor(
            root: root, destination: destination, noOverwriteDirNonDir: query.bool("noOverwriteDirNonDir"),
            owner: owner)
        try await ContainerService.blocking { () throws(CoveError) in
            try extractor.apply(try ArchiveReader(path: spool))
        }
        return APIResponse(status: 200)
    }

    /// Writes a request body to `path`.
    static func spool(_ body: RequestBodyStream, to path: String) async throws(CoveError) {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CoveError(.io, "cannot create \(path)") }
        defer { try? handle.close() }
        do {
            for try await chunk in body { try handle.write(contentsOf: Array(chunk.readableBytesView)) }
        } catch let error as CoveError {
            throw error
        } catch {
            throw CoveError(.io, "cannot receive the archive", cause: "\(error)")
        }
    }

    /// The container user's uid and gid, from its own `/etc/passwd` and `/etc/group`.
    func containerOwner(_ record: ContainerRecord, root: RootedDirectory) throws(CoveError) -> (UInt32, UInt32) {
        let user = try ContainerService.decode(record.config).user ?? ""
        let resolved = try UserResolver.resolve(
            user: user, passwd: try Self.readText(root, "etc/passwd"), group: try Self.readText(root, "etc/group"))
        return (resolved.uid, resolved.gid)
    }

    /// A regular file of the container as text (at most 1 MiB); empty when it is not one.
    static func readText(_ root: RootedDirectory, _ path: String) throws(CoveError) -> String {
        var bytes: [UInt8] = []
        try DirectoryTree.walk(root, from: RootedPath(path)) { (item) throws(CoveError) in
            guard item.status.kind == .regular else { return false }
            try item.readContents { (block) throws(CoveError) in
                if bytes.count < 1 << 20 { bytes += block.prefix((1 << 20) - bytes.count) }
            }
            return false
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
