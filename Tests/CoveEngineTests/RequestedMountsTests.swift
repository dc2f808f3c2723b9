import CoveAPI
import CoveCore
import CoveImage
import CoveRuntime
import Testing

@testable import CoveEngine

/// Docker's rules for a create request's mounts: binds, named and anonymous volumes, tmpfs; no root.
@Suite struct RequestedMountsTests {
    func request(_ change: (inout ContainerCreateRequest, inout HostConfig) -> Void) -> ContainerCreateRequest {
        var request = ContainerCreateRequest(image: "busybox")
        request.cmd = StringList(["true"])
        var host = HostConfig()
        change(&request, &host)
        request.hostConfig = host
        return request
    }

    @Test func namedAnonymousAndImageVolumesBecomeBindsOfTheirDirectories() throws {
        let asked = request { request, host in
            host.binds = ["data:/data:ro,nocopy", "/srv:/srv:rshared"]
            request.volumes = ["/cache": [:], "/data": [:]]
        }
        let image = ContainerConfig(cmd: ["sh"], volumes: ["/var/lib/db", "/srv"])
        let config = ContainerSpecBuilder.complete(asked, image: image)
        #expect(config.volumes?.keys.sorted() == ["/cache", "/data", "/srv", "/var/lib/db"])
        let mounts = try RequestedMounts.parse(config)
        // A `Volumes` entry whose target a bind already takes is left out, as Docker does.
        #expect(mounts.map(\.target) == ["/data", "/srv", "/cache", "/var/lib/db"])
        #expect(mounts[0].kind == .volume(name: "data", noCopy: true, labels: [:]) && mounts[0].readOnly)
        #expect(mounts[1].kind == .bind(source: "/srv", createHostPath: true) && mounts[1].propagation == "rshared")
        #expect(mounts[2].kind == .volume(name: nil, noCopy: false, labels: [:]))

        let paths = ["/data": "/v/data/_data", "/cache": "/v/c1/_data", "/var/lib/db": "/v/c2/_data"]
        let spec = try ContainerSpecBuilder.spec(id: "c", config: config, rootfs: "/r", volumes: paths)
        #expect(spec.mounts.map(\.source) == ["/v/data/_data", "/srv", "/v/c1/_data", "/v/c2/_data"])
        #expect(spec.mounts[0].flags.contains(.readOnly) && spec.mounts[0].flags.contains(.bind))
        #expect(spec.mounts[1].flags.contains(.sharedPropagation))
        let missing = #expect(throws: CoveError.self) {
            try ContainerSpecBuilder.spec(id: "c", config: config, rootfs: "/r", volumes: [:])
        }
        #expect(missing?.code == .internalError)

        let points = ContainerSpecBuilder.mountPoints(
            mounts, volumes: ["/data": "data", "/cache": "c1", "/var/lib/db": "c2"], volumesRoot: "/root/volumes")
        #expect(points[0].type == "volume" && points[0].name == "data" && points[0].driver == "local")
        #expect(points[0].source == "/root/volumes/data/_data" && !points[0].readWrite && points[0].mode == "ro,nocopy")
        #expect(points[1].type == "bind" && points[1].propagation == "rshared" && points[1].name == nil)
        #expect(points[2].name == "c1" && points[2].source == "/root/volumes/c1/_data" && points[2].readWrite)
    }

    @Test func mountsEntriesCarryTheirOptions() throws {
        var bind = MountSpec(type: "bind", source: "/host", target: "/in", readOnly: true)
        bind.bindOptions = MountSpec.BindOptions(propagation: "rslave")
        var volume = MountSpec(type: "volume", target: "/v")
        volume.volumeOptions = MountSpec.VolumeOptions(noCopy: true, labels: ["k": "v"])
        var tmpfs = MountSpec(type: "tmpfs", target: "/t")
        tmpfs.tmpfsOptions = MountSpec.TmpfsOptions(sizeBytes: 1 << 20, mode: 0o1770)
        let config = request { _, host in
            host.mounts = [bind, volume, tmpfs]
            host.tmpfs = ["/run": "size=64m,mode=755"]
        }
        let mounts = try RequestedMounts.parse(config)
        #expect(mounts[0].kind == .bind(source: "/host", createHostPath: false) && mounts[0].readOnly)
        #expect(mounts[1].kind == .volume(name: nil, noCopy: true, labels: ["k": "v"]))
        #expect(mounts[2].kind == .tmpfs(options: "size=1048576,mode=1770"))
        let spec = try ContainerSpecBuilder.spec(id: "c", config: config, rootfs: "/r", volumes: ["/v": "/x"])
        #expect(spec.mounts[0].flags.contains(.slavePropagation) && spec.mounts[0].flags.contains(.readOnly))
        #expect(spec.mounts[2].type == "tmpfs" && spec.mounts[2].data == "size=1048576,mode=1770")
        #expect(spec.mounts[3].target == "/run" && spec.mounts[3].data == "size=64m,mode=755")
        #expect(spec.mounts[2].flags.isSuperset(of: [.noSuid, .noDev, .noExec]))
    }

    @Test(arguments: [
        (MountSpec(type: "nfs", target: "/x"), "invalid mount config for type \"nfs\": mount type unknown"),
        (MountSpec(type: "bind", source: "/a", target: "x"), "invalid mount path: 'x' mount path must be absolute"),
        (MountSpec(type: "bind", target: "/x"), "field Source must not be empty"),
        (MountSpec(type: "tmpfs", source: "/a", target: "/x"), "field Source must not be specified"),
        (MountSpec(type: "volume", source: "-bad", target: "/x"), "invalid characters for a local volume name"),
        (MountSpec(type: "volume", source: "", target: ""), "field Target must not be empty"),
    ])
    func badMountsAreRefused(spec: MountSpec, message: String) {
        let config = request { _, host in host.mounts = [spec] }
        let error = #expect(throws: CoveError.self) { try RequestedMounts.parse(config) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func badTmpfsOptionsAndPropagationAreRefused() {
        for change: (inout HostConfig) -> Void in [
            { $0.tmpfs = ["/t": "size=lots"] }, { $0.tmpfs = ["/t": "mode=999"] }, { $0.tmpfs = ["t": ""] },
            {
                var bind = MountSpec(type: "bind", source: "/a", target: "/b")
                bind.bindOptions = MountSpec.BindOptions(propagation: "sideways")
                $0.mounts = [bind]
            },
            { $0.mounts = [MountSpec(type: "tmpfs", target: "/t"), MountSpec(type: "volume", target: "/t")] },
        ] {
            let config = request { _, host in change(&host) }
            let error = #expect(throws: CoveError.self) { try RequestedMounts.parse(config) }
            #expect(error?.code == .invalidInput)
        }
    }

    @Test func volumeNamesFollowDockersRule() throws {
        for good in ["ab", "data", "my.vol_1-x", "0abc"] { try VolumeName.check(good) }
        for bad in ["a", "", ".hidden", "_x", "a/b", "a b", "ü1"] {
            #expect(throws: CoveError.self) { try VolumeName.check(bad) }
        }
    }
}
