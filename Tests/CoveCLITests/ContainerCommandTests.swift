import CoveCore
import Foundation
import Testing

@testable import CoveCLI

/// The container commands' pure parts: sizes, CPU percentage, the log demultiplexer's framing,
/// docker run's exit codes for start failures.
@Suite struct ContainerCommandTests {
    @Test func sizesAreDockersBinaryUnits() {
        #expect(ContainerStatsCommand.binarySize(0) == "0B")
        #expect(ContainerStatsCommand.binarySize(290_816) == "284KiB")
        #expect(ContainerStatsCommand.binarySize(64 << 20) == "64MiB")
        #expect(ContainerStatsCommand.binarySize(25_276_510_208) == "23.54GiB")
    }

    @Test func cpuPercentIsTheShareOfHostTimeTimesCPUs() throws {
        let json = """
            {"name":"/x","id":"abc","pids_stats":{"current":1},"memory_stats":{"usage":1,"limit":2},
             "cpu_stats":{"cpu_usage":{"total_usage":1500000000},"system_cpu_usage":4000000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":500000000},"system_cpu_usage":2000000000,"online_cpus":2}}
            """
        let stats = try JSONDecoder().decode(ContainerStatsCommand.Stats.self, from: Data(json.utf8))
        #expect(stats.cpuPercent == 100)
    }

    @Test func startFailuresMapToDockerRunsExitCodes() {
        #expect(ContainerRunCommand.startFailureCode("exec: \"x\": executable file not found in $PATH") == 127)
        #expect(ContainerRunCommand.startFailureCode("exec: \"/etc\": permission denied") == 126)
        #expect(ContainerRunCommand.startFailureCode("No such image: x:latest") == 125)
    }

    @Test func createOptionsBecomeDockersRequest() throws {
        let options = try ContainerCreateOptions.parse([
            "--name", "web", "-e", "A=1", "-v", "/h:/c:ro", "--memory", "512m", "--cpus", "1.5", "--cap-drop", "ALL",
            "--read-only", "--init", "-l", "k=v", "--tmpfs", "/run:size=1m", "busybox", "sh", "-c", "true",
        ])
        let request = try options.request(autoRemove: true, interactive: true)
        #expect(request.image == "busybox")
        #expect(request.cmd?.values == ["sh", "-c", "true"])
        #expect(request.env == ["A=1"])
        #expect(request.labels == ["k": "v"])
        #expect(request.openStdin == true && request.stdinOnce == true)
        let host = try #require(request.hostConfig)
        #expect(host.autoRemove == true && host.readonlyRootfs == true && host.initProcess == true)
        #expect(host.binds == ["/h:/c:ro"])
        #expect(host.memory == 512 << 20)
        #expect(host.nanoCpus == 1_500_000_000)
        #expect(host.capDrop == ["ALL"])
        #expect(host.tmpfs == ["/run": "size=1m"])
        #expect(throws: (any Error).self) {
            try ContainerCreateOptions.parse(["--memory", "lots", "busybox"]).request(autoRemove: false)
        }
    }

    @Test func resourceStopAndLogFlagsBecomeDockersRequest() throws {
        let options = try ContainerCreateOptions.parse([
            "--memory-swap", "1g", "-c", "512", "--cpuset-cpus", "0", "--shm-size", "128m", "--ulimit",
            "nofile=1024:2048", "--ulimit", "nproc=64", "--sysctl", "net.ipv4.ip_forward=1", "--group-add", "audio",
            "--stop-signal", "SIGINT", "--stop-timeout", "3", "--log-opt", "max-size=1m", "busybox",
        ])
        let request = try options.request(autoRemove: false)
        #expect(request.stopSignal == "SIGINT" && request.stopTimeout == 3)
        let host = try #require(request.hostConfig)
        #expect(host.memorySwap == 1 << 30 && host.cpuShares == 512 && host.cpusetCpus == "0")
        #expect(host.shmSize == 128 << 20)
        #expect(
            host.ulimits == [.init(name: "nofile", soft: 1024, hard: 2048), .init(name: "nproc", soft: 64, hard: 64)])
        #expect(host.sysctls == ["net.ipv4.ip_forward": "1"])
        #expect(host.groupAdd == ["audio"])
        #expect(host.logConfig == .init(type: "json-file", config: ["max-size": "1m"]))
        let unlimited = try ContainerCreateOptions.parse(["--memory-swap", "-1", "busybox"]).request(autoRemove: false)
        #expect(unlimited.hostConfig?.memorySwap == -1)
        for bad in [
            ["--ulimit", "nofile"], ["--ulimit", "nofile=9:1"], ["--sysctl", "novalue"], ["--log-opt", "=1"],
        ] {
            #expect(throws: CoveError.self, "\(bad)") {
                try ContainerCreateOptions.parse(bad + ["busybox"]).request(autoRemove: false)
            }
        }
    }
}
