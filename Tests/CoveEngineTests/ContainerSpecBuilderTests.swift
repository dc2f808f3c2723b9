import CoveAPI
import CoveCore
import CoveImage
import CoveRuntime
import Foundation
import Testing

@testable import CoveEngine

/// Docker's rules for turning a create request and an image config into a container spec; no root.
@Suite struct ContainerSpecBuilderTests {
    let image = ContainerConfig(
        user: "nobody", env: ["PATH=/bin", "A=image"], entrypoint: ["/entry"], cmd: ["default", "arg"],
        workingDir: "/srv", labels: ["from": "image", "both": "image"])

    @Test func theRequestOverridesTheImageAsDockerDoes() throws {
        var request = ContainerCreateRequest(image: "busybox")
        request.env = ["A=request", "B=2"]
        request.labels = ["both": "request"]
        let merged = ContainerSpecBuilder.complete(request, image: image)
        #expect(try ContainerSpecBuilder.arguments(merged) == ["/entry", "default", "arg"])
        #expect(merged.env == ["PATH=/bin", "A=request", "B=2"])
        #expect(merged.labels == ["from": "image", "both": "request"])
        #expect(merged.workingDir == "/srv")
        #expect(merged.user == "nobody")
        #expect(merged.hostConfig?.logConfig?.type == "json-file")

        request.cmd = StringList(["other"])
        #expect(
            try ContainerSpecBuilder.arguments(ContainerSpecBuilder.complete(request, image: image)) == [
                "/entry", "other",
            ])
        request.entrypoint = StringList(["/bin/sh", "-c"])
        request.cmd = nil
        // A new entrypoint drops the image's command.
        #expect(
            try ContainerSpecBuilder.arguments(ContainerSpecBuilder.complete(request, image: image)) == [
                "/bin/sh", "-c",
            ])
        request.entrypoint = StringList([])
        let error = #expect(throws: CoveError.self) {
            try ContainerSpecBuilder.arguments(ContainerSpecBuilder.complete(request, image: nil))
        }
        #expect(error?.message == "no command specified")
    }

    @Test func hostConfigBecomesLimitsMountsAndSecurity() throws {
        var request = ContainerCreateRequest(image: "busybox")
        request.cmd = StringList(["true"])
        var host = HostConfig()
        host.memory = 64 << 20
        host.nanoCpus = 1_500_000_000
        host.pidsLimit = 20
        host.binds = ["/srv/data:/data:ro", "/tmp/x:/x"]
        host.tmpfs = ["/run": "size=1m,exec"]
        host.securityOpt = ["seccomp=unconfined", "no-new-privileges"]
        host.networkMode = "host"
        host.ulimits = [HostConfig.Ulimit(name: "nofile", soft: 100, hard: -1)]
        host.logConfig = HostConfig.LogConfig(type: "json-file", config: ["max-size": "10m", "max-file": "3"])
        request.hostConfig = host
        let spec = try ContainerSpecBuilder.spec(
            id: String(repeating: "a", count: 64), config: ContainerSpecBuilder.complete(request, image: nil),
            rootfs: "/r", volumes: [:])
        #expect(spec.resources.memory == 64 << 20)
        #expect(spec.resources.cpuQuota == 150_000 && spec.resources.cpuPeriod == 100_000)
        #expect(spec.resources.pidsLimit == 20)
        #expect(spec.seccomp == .unconfined)
        #expect(spec.noNewPrivileges)
        #expect(!spec.namespaces.contains(.network))
        #expect(spec.rlimits == [Rlimit(name: "nofile", soft: 100, hard: Rlimit.unlimited)])
        #expect(spec.logMaxSize == 10 << 20 && spec.logMaxFiles == 3)
        #expect(spec.hostname == "aaaaaaaaaaaa")
        #expect(spec.mounts.map(\.target) == ["/data", "/x", "/run"])
        #expect(spec.mounts[0].flags.contains(.readOnly))
        #expect(!spec.mounts[1].flags.contains(.readOnly))
        #expect(
            spec.mounts[2].type == "tmpfs" && spec.mounts[2].data == "size=1m"
                && !spec.mounts[2].flags.contains(.noExec))
    }

    @Test(arguments: [
        (["bad name:/x"], "includes invalid characters for a local volume name"),
        (["/a:/b:nocopy"], "invalid mode: nocopy"),
        (["data:/b:rshared"], "invalid mode: rshared"),
        (["/a:/b", "data:/b/"], "Duplicate mount point: /b"),
        (["data:/"], "destination can't be '/'"),
        (["/host:/."], "destination can't be '/'"),
        (["/a:relative"], "mount path must be absolute"),
        (["/a:/b:bogus"], "invalid mode: bogus"),
        (["/a"], "invalid volume specification"),
    ])
    func badBindsAreRefused(binds: [String], message: String) {
        var host = HostConfig()
        host.binds = binds
        var request = ContainerCreateRequest(image: "busybox")
        request.hostConfig = host
        let error = #expect(throws: CoveError.self) { try RequestedMounts.parse(request) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func badOptionsAreRefused() {
        var request = ContainerCreateRequest(image: "busybox")
        request.cmd = StringList(["true"])
        for change: (inout HostConfig) -> Void in [
            { $0.securityOpt = ["seccomp=/not/json"] }, { $0.securityOpt = ["bogus=1"] },
            { $0.networkMode = "container:x" }, { $0.ulimits = [HostConfig.Ulimit(name: "nosuch", soft: 1, hard: 1)] },
            { $0.logConfig = HostConfig.LogConfig(type: "syslog") },
        ] {
            var host = HostConfig()
            change(&host)
            request.hostConfig = host
            let error = #expect(throws: CoveError.self) {
                try ContainerSpecBuilder.spec(
                    id: "c", config: ContainerSpecBuilder.complete(request, image: nil), rootfs: "/r",
                    volumes: [:])
            }
            #expect(error?.code == .invalidInput)
        }
    }

    @Test func statusTextAndFramesAreDockers() throws {
        let frame = ContainerRoutes.frame(2, Array("hi\n".utf8))
        #expect(frame == [2, 0, 0, 0, 0, 0, 0, 3] + Array("hi\n".utf8))
        #expect(ContainerRoutes.humanDuration(0.5) == "Less than a second")
        #expect(ContainerRoutes.humanDuration(42) == "42 seconds")
        #expect(ContainerRoutes.humanDuration(90) == "About a minute")
        #expect(ContainerRoutes.humanDuration(7200) == "2 hours")
        let date = try #require(ContainerRoutes.date("2026-01-02T03:04:05.123456789Z"))
        #expect(abs(date.timeIntervalSince1970 - 1_767_323_045.123) < 0.001)
        #expect(try ContainerService.signalNumber("SIGTERM") == 15)
        #expect(try ContainerService.signalNumber("hup") == 1)
        #expect(try ContainerService.signalNumber("9") == 9)
        let error = #expect(throws: CoveError.self) { try ContainerService.signalNumber("NOPE") }
        #expect(error?.message == "Invalid signal: NOPE")
        #expect(ContainerService.newID().count == 64)
    }
}
