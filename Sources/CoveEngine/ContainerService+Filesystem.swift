import CoveCore
import CoveLinux
import CoveStore

/// A container's filesystem as the copy, export, diff and commit endpoints reach it.
extension ContainerService {
    /// `<root>/containers/<id>/upper`: the container's own layer.
    func upperDirectory(_ id: String) -> String { directory(id) + "/upper" }

    /// The container's merged root, mounted first when it is not (a host restarted since the
    /// container was created). It stays mounted, as the root of every container does until
    /// the container is removed.
    func mountedRoot(_ record: ContainerRecord) async throws(CoveError) -> String {
        let target = rootfs(record.id)
        if !OverlayMount.isMountPoint(target) {
            guard let image = try images.image(record.imageID) else {
                throw CoveError(.notFound, "No such image: \(record.imageName)")
            }
            try await mountRoot(record.id, image: image)
        }
        return target
    }

    /// The image's snapshot directories under the container, top-most first.
    func lowerDirectories(_ record: ContainerRecord) async throws(CoveError) -> [String] {
        guard let snapshots else { throw CoveError(.internalError, "the engine has no snapshot store") }
        guard let image = try images.image(record.imageID) else {
            throw CoveError(.notFound, "No such image: \(record.imageName)")
        }
        return try await snapshots.prepare(image).reversed().map(\.path)
    }
}
