import CoveCore
import CoveImage
import GRDB

extension ImageRepository {
    /// `docker image prune`, in one write transaction: deletes every dangling image (one without a
    /// tag; its digest references go with it) or, with `all`, every image, each image's references
    /// first; images that containers use are kept. Returns what was untagged and
    /// deleted, in Docker's order: an image's `Untagged` items, then its `Deleted` item.
    ///
    /// Blobs are not removed here: `garbageCollect` does that afterwards.
    public func prune(all: Bool) throws(CoveError) -> [ImageDeleteItem] {
        try state.write(all ? "prune all images" : "prune dangling images") { db in
            let images = try ImageRecord.order(ImageRecord.CodingKeys.registeredAt.desc, ImageRecord.CodingKeys.id)
                .fetchAll(db)
            var items: [ImageDeleteItem] = []
            for image in images {
                let references = try Self.references(of: image.id, in: db)
                if !all, references.contains(where: { $0.digest == nil }) { continue }
                if try !ContainerRepository.users(of: image.id, in: db).isEmpty { continue }
                for reference in references where try ImageReferenceRecord.deleteOne(db, key: reference.string) {
                    items.append(.untagged(reference.familiar))
                }
                _ = try ImageRecord.deleteOne(db, key: image.id)
                items.append(.deleted(image.id))
            }
            return items
        }
    }
}
