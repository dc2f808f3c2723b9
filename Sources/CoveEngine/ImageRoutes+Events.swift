import CoveStore

/// Image events as Docker's daemon logs them: the actor is the image id (the reference for a
/// pull or a push) and `name` the reference concerned.
extension ImageRoutes {
    func emitImage(_ action: String, id: String, name: String? = nil) {
        events?.emit(.image, action: action, id: id, attributes: ["name": name ?? id])
    }

    /// The `untag` and `delete` events of an image removal (`id`: the removed image's id).
    func emitDeletion(_ items: [ImageDeleteItem], id: String) {
        for item in items {
            switch item {
            case .untagged: emitImage("untag", id: id)
            case .deleted(let digest): emitImage("delete", id: digest.description)
            }
        }
    }
}
