import CoveCore
import GRDB

extension ImageRepository {
    /// The blobs that some image needs: manifests, configs and layers.
    public func referencedBlobs() throws(CoveError) -> Set<Digest> {
        try state.read("list the blobs images use") { db in try Self.referencedBlobs(in: db) }
    }

    /// Finds the blobs of the content store that no image references and, unless `dryRun`, deletes
    /// them; returns them sorted. Blobs in `protecting` and blobs leased by an operation in
    /// progress (`leases`: an import, load or pull that has not registered its image yet) are kept.
    ///
    /// Runs inside a write transaction, so no image can be registered meanwhile: a registration
    /// either committed before (and its blobs are referenced) or starts after, and then finds any
    /// blob removed here missing and fails cleanly.
    @discardableResult
    public func garbageCollect(protecting: Set<Digest> = [], dryRun: Bool = false) throws(CoveError) -> [Digest] {
        let content = self.content
        let leases = self.leases
        return try state.write("collect unreferenced blobs") { db in
            let referenced = try Self.referencedBlobs(in: db)
            return try leases.withLeasedBlobs { leased throws(CoveError) in
                let unreferenced = try content.list().filter {
                    !referenced.contains($0) && !protecting.contains($0) && !leased.contains($0)
                }
                if !dryRun {
                    for digest in unreferenced { try content.delete(digest) }
                }
                return unreferenced
            }
        }
    }

    static func referencedBlobs(in db: Database) throws -> Set<Digest> {
        let digests = try Digest.fetchAll(
            db,
            sql: """
                SELECT id FROM images
                UNION SELECT manifest_digest FROM images
                UNION SELECT blob_digest FROM image_layers
                """)
        return Set(digests)
    }
}
