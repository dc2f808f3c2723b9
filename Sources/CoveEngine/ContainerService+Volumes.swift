import CoveAPI
import CoveCore
import CoveLinux
import CoveRuntime
import CoveStore
import Foundation

extension ContainerService {
    /// The volume each volume mount uses, by target: the one recorded for the container, else
    /// the name asked for, else a new anonymous name.
    func volumeNames(_ requested: [RequestedMount], containerID: String?) throws(CoveError) -> [String: String] {
        var recorded: [String: String] = [:]
        if let containerID { recorded = try volumes.repository.mounts(of: containerID) }
        var names: [String: String] = [:]
        for mount in requested where mount.isVolume {
            names[mount.target] = mount.volumeName ?? recorded[mount.target] ?? Self.newID()
        }
        return names
    }

    /// The runtime's spec of a container whose root is mounted, its volumes ready: `names` from
    /// create, or (nil) the recorded ones at a later start, when bind sources are checked again.
    func mountedSpec(_ id: String, config: ContainerCreateRequest, volumeNames names: [String: String]? = nil)
        async throws(CoveError) -> ContainerSpec
    {
        let requested = try RequestedMounts.parse(config)
        var names = names ?? [:]
        if names.isEmpty { names = try volumeNames(requested, containerID: id) }
        try checkBindSources(requested)
        try await prepareVolumes(requested, names: names, containerID: id)
        return try ContainerSpecBuilder.spec(id: id, config: config, rootfs: rootfs(id), volumes: volumePaths(names))
    }

    /// The host directory of each volume mount, by target.
    func volumePaths(_ names: [String: String]) -> [String: String] {
        names.mapValues { volumes.dataPath($0) }
    }

    /// Bind sources: the `Binds` form creates a missing host directory, as Docker does; a
    /// `Mounts` bind without `CreateMountpoint` needs its source to exist.
    func checkBindSources(_ requested: [RequestedMount]) throws(CoveError) {
        for mount in requested {
            guard case .bind(let source, let create) = mount.kind else { continue }
            if FileManager.default.fileExists(atPath: source) { continue }
            guard create else {
                throw CoveError(
                    .invalidInput, "invalid mount config for type \"bind\": bind source path does not exist: \(source)")
            }
            try Directory.create(source, mode: 0o755)
        }
    }

    /// Creates the volumes the container mounts that do not exist yet, fills each empty one from
    /// the container's root at its mount point (unless `nocopy`), and records the mounts. The
    /// container's root must be mounted.
    func prepareVolumes(_ requested: [RequestedMount], names: [String: String], containerID: String)
        async throws(CoveError)
    {
        let rootfs = rootfs(containerID)
        for mount in requested {
            guard case .volume(let asked, let noCopy, let labels) = mount.kind, let name = names[mount.target] else {
                continue
            }
            var volumeLabels = labels
            if asked == nil { volumeLabels[VolumeRecord.anonymousLabel] = "" }
            let volume = try volumes.ensure(name, labels: volumeLabels).record
            try volumes.repository.recordMount(
                VolumeMountRecord(containerID: containerID, destination: mount.target, volumeName: name))
            volumes.events.emit(
                .volume, action: "mount", id: name,
                attributes: [
                    "driver": "local", "container": containerID, "destination": mount.target,
                    "read/write": mount.readOnly ? "false" : "true", "propagation": "",
                ])
            guard !noCopy else { continue }
            let path = volume.mountpoint
            let target = mount.target
            try await Self.blocking { () throws(CoveError) in
                let empty = (try? FileManager.default.contentsOfDirectory(atPath: path).isEmpty) ?? false
                guard empty else { return }
                try TreeCopy.copyContents(of: target, inside: rootfs, into: try RootedDirectory(path: path))
            }
        }
    }

    /// After `docker rm -v`: removes the container's anonymous volumes that no other container
    /// mounts; named volumes stay, as in Docker.
    func removeAnonymousVolumes(_ names: [String]) {
        for name in names {
            guard let volume = try? volumes.repository.volume(name), volume.isAnonymous else { continue }
            try? volumes.remove(name, force: false)
        }
    }
}
