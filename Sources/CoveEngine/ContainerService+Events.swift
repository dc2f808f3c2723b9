import CoveStore

extension ContainerService {
    /// Docker's attributes of a container's events: its labels, name and image.
    func eventAttributes(_ record: ContainerRecord) -> [String: String] {
        var attributes = (try? Self.decode(record.config))?.labels ?? [:]
        attributes["name"] = record.name
        attributes["image"] = record.imageName
        return attributes
    }

    /// Emits a container event with its attributes and `extra` ones (`exitCode`, `signal`).
    func emit(_ action: String, _ record: ContainerRecord, _ extra: [String: String] = [:]) {
        events.emit(
            .container, action: action, id: record.id,
            attributes: eventAttributes(record).merging(extra) { _, new in new })
    }

    /// A volume `unmount` event for each volume the container mounts, once its process ended.
    func emitUnmounts(_ id: String) {
        for name in Set(((try? volumes.repository.mounts(of: id)) ?? [:]).values).sorted() {
            events.emit(.volume, action: "unmount", id: name, attributes: ["driver": "local", "container": id])
        }
    }
}
