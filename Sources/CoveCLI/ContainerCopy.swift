import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// The two directions of `cove container cp`, with Docker's rules for where things land: into
/// an existing directory under the source's name, else under the destination's name in its
/// parent; `SRC/.` copies a directory's contents.
struct ContainerCopy {
    let client: EngineClient
    let container: String
    let archive: Bool

    private var archivePath: String { ContainerCommandSupport.path(container, "archive") }

    /// The path's stat in the container, or nil when it does not exist.
    func stat(_ path: String) async throws(CoveError) -> ContainerPathStat? {
        do throws(CoveError) {
            let response = try await client.send(method: "HEAD", path: archivePath, query: [("path", path)])
            guard let header = response.header(ContainerPathStat.headerName),
                let stat = ContainerPathStat(headerValue: header)
            else { throw CoveError(.internalError, "the engine sent no stat of \(path)") }
            return stat
        } catch  where error.code == .notFound {
            return nil
        }
    }

    /// Container → host (`-` writes the tar to standard output).
    func copyOut(_ path: String, to host: String, followLink: Bool) async throws(CoveError) {
        guard let first = try await stat(path) else {
            throw CoveError(.notFound, "Could not find the file \(path) in container \(container)")
        }
        let source = followLink && first.isSymlink && !first.linkTarget.isEmpty ? first.linkTarget : path
        let stat = source == path ? first : try await self.stat(source) ?? first
        if host == "-" {
            _ = try await client.download(path: archivePath, query: [("path", source)], to: FileHandle.standardOutput)
            return
        }
        let contentsOnly = source.hasSuffix("/.")
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: host, isDirectory: &isDirectory)
        let directory: String
        var topName: String?
        if exists && isDirectory.boolValue {
            directory = host
        } else {
            if exists, stat.isDirectory { throw CoveError(.invalidInput, "cannot copy a directory to a file: \(host)") }
            if !exists, host.hasSuffix("/"), !stat.isDirectory {
                throw CoveError(.notFound, "destination directory \(host) does not exist")
            }
            let url = URL(fileURLWithPath: host)
            directory = url.deletingLastPathComponent().path
            if contentsOnly {
                try Directory.create(host, mode: 0o755)
            } else {
                topName = url.lastPathComponent
            }
        }
        let target = contentsOnly && !(exists && isDirectory.boolValue) ? host : directory
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("cove-cp-\(UUID().uuidString).tar")
        defer { try? FileManager.default.removeItem(at: spool) }
        guard FileManager.default.createFile(atPath: spool.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: spool.path)
        else { throw CoveError(.io, "cannot create \(spool.path)") }
        defer { try? handle.close() }
        _ = try await client.download(path: archivePath, query: [("path", source)], to: handle)
        let extractor = ArchiveExtractor(
            root: try RootedDirectory(path: target), destination: RootedPath(""),
            owner: archive ? nil : ProcessIdentity.current, topName: topName)
        try extractor.apply(try ArchiveReader(path: spool.path))
    }

    /// Host → container (`-` sends the tar on standard input as it is).
    func copyIn(_ host: String, to path: String, followLink: Bool) async throws(CoveError) {
        var query: [(name: String, value: String)] = [("noOverwriteDirNonDir", "true")]
        if archive { query.append(("copyUIDGID", "true")) }
        if host == "-" {
            _ = try await client.send(
                method: "PUT", path: archivePath, query: [("path", path)] + query,
                bodyFile: FileHandle.standardInput, length: nil)
            return
        }
        var source = host
        if followLink, let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: host) {
            source =
                resolved.hasPrefix("/")
                ? resolved
                : URL(fileURLWithPath: host).deletingLastPathComponent()
                    .appendingPathComponent(resolved).path
        }
        var sourceIsDirectory: ObjCBool = false
        guard
            FileManager.default.fileExists(atPath: source, isDirectory: &sourceIsDirectory)
                || (try? FileManager.default.destinationOfSymbolicLink(atPath: source)) != nil
        else { throw CoveError(.notFound, "stat \(host): no such file or directory") }
        let contentsOnly = source.hasSuffix("/.")
        var destination = path
        var stat = try await self.stat(destination)
        if let found = stat, found.isSymlink, !found.linkTarget.isEmpty {
            destination = found.linkTarget
            stat = try await self.stat(destination)
        }
        let prefix: String
        let extractInto: String
        let destinationURL = URL(fileURLWithPath: destination)
        if let stat, stat.isDirectory {
            prefix = contentsOnly ? "." : URL(fileURLWithPath: source).lastPathComponent
            extractInto = destination
        } else {
            if stat != nil, sourceIsDirectory.boolValue {
                throw CoveError(.invalidInput, "cannot copy a directory to a file: \(path)")
            }
            if stat == nil, destination.hasSuffix("/"), !sourceIsDirectory.boolValue {
                throw CoveError(.notFound, "destination directory \(path) does not exist in container \(container)")
            }
            prefix = destinationURL.lastPathComponent
            extractInto = destinationURL.deletingLastPathComponent().path
        }
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("cove-cp-\(UUID().uuidString).tar")
        defer { try? FileManager.default.removeItem(at: spool) }
        let sourceURL = URL(fileURLWithPath: contentsOnly ? String(source.dropLast(2)) : source)
        let writer = try ArchiveWriter(path: spool.path, format: .pax)
        try TreeArchiver.write(
            try RootedDirectory(path: sourceURL.deletingLastPathComponent().path),
            from: RootedPath(sourceURL.lastPathComponent), prefix: prefix, owner: archive ? nil : (0, 0), to: writer)
        try writer.finish()
        let (handle, length) = try EngineClient.openUpload(spool.path)
        defer { try? handle.close() }
        _ = try await client.send(
            method: "PUT", path: archivePath, query: [("path", extractInto)] + query, bodyFile: handle, length: length)
    }
}
