import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import CoveStore
import Foundation

extension ImageRoutes {
    /// `GET /images/get?names=…` (several images) and `GET /images/{name}/get`: `docker save`.
    ///
    /// The archive (`ImageSavePlan`'s layout) is written to a file in the content store's ingest
    /// directory on NIO's blocking thread pool, then streamed to the client as it reads, and removed.
    /// An image named by a tag records that tag; one named by id or digest records none, as Docker does.
    func save(_ names: [String]) async -> APIResponse {
        do {
            guard !names.isEmpty else { throw CoveError(.invalidInput, "no image names given to save") }
            let plan = try savePlan(names)
            let content = repository.content
            let file = content.ingestDirectory.appendingPathComponent("save-\(UUID().uuidString).tar")
            do throws(CoveError) {
                try await Self.onThreadPool { () throws(CoveError) in
                    try Self.writeArchive(plan, content: content, to: file.path)
                }
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw error
            }
            var response = APIResponse(status: 200, headers: [HTTPField("Content-Type", "application/x-tar")])
            response.stream = try Self.streamFile(file)
            for name in names {
                if let image = try? repository.resolve(name) { emitImage("save", id: image.id.description, name: name) }
            }
            return response
        } catch let error as CoveError {
            return Self.errorResponse(error)
        } catch {
            return Self.errorResponse(CoveError(.internalError, "save failed", cause: "\(error)"))
        }
    }

    /// The plan for the images `names` resolve to, in the order asked (each image once).
    func savePlan(_ names: [String]) throws(CoveError) -> ImageSavePlan {
        var images: [ImageSavePlan.Image] = []
        for name in names {
            let stored = try repository.resolve(name)
            var tags: [ImageReference] = []
            if let reference = try? ImageReference(parsing: name), reference.digest == nil,
                stored.references.contains(reference.withDefaultTag.string)
            {
                tags = [reference.withDefaultTag]
            }
            if let index = images.firstIndex(where: { $0.configDigest == stored.id }) {
                images[index].tags += tags.filter { !images[index].tags.contains($0) }
                continue
            }
            images.append(
                ImageSavePlan.Image(
                    manifestDigest: stored.image.manifestDigest, manifestMediaType: stored.image.manifestMediaType,
                    manifestSize: try repository.content.size(of: stored.image.manifestDigest), configDigest: stored.id,
                    layerDigests: stored.layers.map(\.blobDigest), tags: tags))
        }
        return try ImageSavePlan(images: images)
    }

    /// Writes the archive: the blobs, streamed from the content store, then the documents.
    static func writeArchive(_ plan: ImageSavePlan, content: ContentStore, to path: String) throws(CoveError) {
        let writer = try ArchiveWriter(path: path, format: .pax)
        for directory in ["blobs", "blobs/sha256"] {
            try writer.write(ArchiveEntry(path: directory, kind: .directory, mode: 0o755))
        }
        for digest in plan.blobs {
            let size = try content.size(of: digest)
            try writer.writeHeader(ArchiveEntry(path: ImageSavePlan.path(of: digest), kind: .regular, size: size))
            let handle = try content.open(digest)
            defer { try? handle.close() }
            var written: Int64 = 0
            while written < size {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                } catch {
                    throw CoveError(.io, "cannot read blob \(digest)", cause: "\(error)")
                }
                guard !chunk.isEmpty else { throw CoveError(.io, "blob \(digest) is shorter than its \(size) bytes") }
                let result = chunk.withUnsafeBytes { buffer in
                    Result { () throws(CoveError) in try writer.writeData(buffer) }
                }
                try result.get()
                written += Int64(chunk.count)
            }
        }
        for (name, data) in plan.documents {
            try writer.write(ArchiveEntry(path: name, kind: .regular, size: Int64(data.count)), data: Array(data))
        }
        try writer.finish()
    }

    /// The file's bytes, each chunk read once the previous one is written; the file is unlinked at
    /// once (the open handle keeps it readable) and closed at the end.
    static func streamFile(_ url: URL) throws(CoveError) -> ResponseStream {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw CoveError(.io, "cannot open the archive \(url.path)", cause: "\(error)")
        }
        try? FileManager.default.removeItem(at: url)
        return ResponseStream { writer in
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                guard await writer.write(Array(chunk)) else { return }
            }
        }
    }
}
