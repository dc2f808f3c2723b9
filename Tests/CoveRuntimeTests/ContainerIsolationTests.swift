import CoveCore
import CoveLinux
import Foundation
import Testing

@testable import CoveRuntime

/// What a process inside a container sees, checked from inside (busybox, as root).
@Suite("Container isolation", .serialized)
struct ContainerIsolationTests {
    static let probe = """
        for ns in pid mnt uts ipc net cgroup; do echo "ns $ns $(readlink /proc/self/ns/$ns)"; done
        echo "pid1 $(cat /proc/1/comm)"
        echo "hostname $(hostname)"
        echo "kcore $(head -c 16 /proc/kcore | wc -c)"
        echo "firmware $(ls -A /sys/firmware | wc -l)"
        echo x > /proc/sys/kernel/domainname 2>/dev/null && echo "procsys writable" || echo "procsys readonly"
        touch /sys/x 2>/dev/null && echo "sys writable" || echo "sys readonly"
        mkdir /sys/fs/cgroup/x 2>/dev/null && echo "cgroupfs writable" || echo "cgroupfs readonly"
        echo "forward $(cat /proc/sys/net/ipv4/ip_forward)"
        grep -E '^(CapEff|CapBnd|CapInh|CapAmb|Seccomp|NoNewPrivs):' /proc/self/status | tr -d '\\t' | sed 's/:/ /'
        unshare -U true 2>/tmp/err && echo "userns allowed" || echo "userns denied $(grep -c 'not permitted' /tmp/err)"
        echo "dev $(ls /dev | tr '\\n' ' ')"
        echo "etc $(cat /etc/hostname) $(grep -c localhost /etc/hosts)"
        echo "fds $(ls /proc/self/fd | wc -l)"
        echo "cwd $(pwd)"
        """

    /// Runs the probe and returns its `key rest` lines as a dictionary (first word → rest).
    static func probe(_ fixture: RuntimeFixture, _ configure: (inout ContainerSpec) -> Void = { _ in }) throws
        -> (ContainerState, [String: String])
    {
        var spec = fixture.spec(["sh", "-c", probe])
        configure(&spec)
        let (state, output) = try fixture.output(spec)
        var facts: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 && parts[0] == "ns" {
                let ns = parts[1].split(separator: " ", maxSplits: 1)
                facts["ns " + ns[0]] = ns.count == 2 ? String(ns[1]) : ""
            } else if parts.count == 2 {
                facts[String(parts[0])] = String(parts[1])
            }
        }
        return (state, facts)
    }

    static func hex(_ set: Set<Capability>) -> String {
        let digits = String(Capability.mask(set), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    @Test("default container: own namespaces, hostname, masked and read-only paths, Docker's caps, seccomp")
    func defaults() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let (state, facts) = try Self.probe(fixture)
        #expect(state.exitCode == 0)
        for ns in ["pid", "mnt", "uts", "ipc", "net", "cgroup"] {
            let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(ns)")
            #expect(facts["ns \(ns)"]?.hasPrefix("\(ns):[") == true, "namespace \(ns): \(facts["ns \(ns)"] ?? "none")")
            #expect(facts["ns \(ns)"] != host, "namespace \(ns) is the host's")
        }
        #expect(facts["pid1"] == "sh")
        #expect(facts["hostname"] == "box1")
        #expect(facts["kcore"] == "0")
        #expect(facts["firmware"] == "0")
        #expect(facts["procsys"] == "readonly")
        #expect(facts["sys"] == "readonly")
        // Docker's default set is the well-known 00000000a80425fb.
        #expect(facts["CapEff"] == "00000000a80425fb")
        #expect(facts["CapEff"] == Self.hex(Capability.dockerDefault))
        #expect(facts["CapBnd"] == "00000000a80425fb")
        #expect(facts["CapInh"] == "0000000000000000")
        #expect(facts["CapAmb"] == "0000000000000000")
        #expect(facts["Seccomp"] == "2")
        #expect(facts["NoNewPrivs"] == "0")
        #expect(facts["userns"] == "denied 1")  // EPERM from the filter
        // The filter was compiled once and cached by its rules' hash; a second container loads it.
        let cache = try #require(fixture.runtime.seccompCacheDirectory)
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(cached.count == 1 && cached.allSatisfy { $0.hasSuffix(".bpf") }, "\(cached)")
        let (_, again) = try Self.probe(fixture)
        #expect(again["Seccomp"] == "2")
        #expect(again["userns"] == "denied 1")
        #expect(facts["cgroupfs"] == "readonly")
        for device in ["null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "mqueue", "ptmx", "fd"] {
            #expect(facts["dev"]?.split(separator: " ").contains(Substring(device)) == true, "/dev/\(device)")
        }
        #expect(facts["etc"] == "box1 2")
        // 0, 1, 2 and the directory ls reads: no descriptor of the host crosses exec.
        #expect(facts["fds"] == "4")
        #expect(facts["cwd"] == "/")
    }

    @Test("cap-add and cap-drop change the effective set; no-new-privileges is set when asked")
    func capabilities() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let (_, facts) = try Self.probe(fixture) { spec in
            spec.capAdd = ["NET_ADMIN", "cap_sys_time"]
            spec.capDrop = ["CHOWN"]
            spec.noNewPrivileges = true
            spec.sysctls = ["net.ipv4.ip_forward": "1"]
        }
        var expected = Capability.dockerDefault
        expected.insert(Capability(name: "NET_ADMIN")!)
        expected.insert(Capability(name: "SYS_TIME")!)
        expected.remove(Capability(name: "CHOWN")!)
        #expect(facts["CapEff"] == Self.hex(expected))
        #expect(facts["CapEff"] != "00000000a80425fb")
        #expect(facts["NoNewPrivs"] == "1")
        #expect(facts["forward"] == "1")
        #expect(facts["Seccomp"] == "2")
    }

    @Test("seccomp=unconfined lets unshare through; privileged has every capability and no masks")
    func unconfinedAndPrivileged() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let (_, unconfined) = try Self.probe(fixture) { $0.seccomp = .unconfined }
        #expect(unconfined["Seccomp"] == "0")
        #expect(unconfined["userns"] == "allowed")
        #expect(unconfined["CapEff"] == "00000000a80425fb")

        let (_, privileged) = try Self.probe(fixture) { $0.privileged = true }
        #expect(privileged["Seccomp"] == "0")
        let host = try String(contentsOfFile: "/proc/self/status", encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("CapBnd:") }?.split(separator: "\t").last.map(String.init)
        #expect(privileged["CapEff"] == host)
        #expect(privileged["procsys"] == "writable")
        #expect(privileged["firmware"] != "0")
    }

    @Test("without its own network namespace the container shares the host's, with /sys bound read-only")
    func hostNetwork() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let (state, facts) = try Self.probe(fixture) { $0.namespaces.remove(.network) }
        #expect(state.exitCode == 0)
        let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        #expect(facts["ns net"] == host)
        let hostPid = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")
        #expect(facts["ns pid"] != nil && facts["ns pid"] != hostPid)
        #expect(facts["sys"] == "readonly")
        #expect(facts["firmware"] == "0")
    }

    @Test("read-only rootfs, a user from /etc/passwd, a working directory, init as pid 1")
    func rootfsUserInit() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        var spec = fixture.spec([
            "sh", "-c",
            "touch /x 2>/dev/null && echo rw || echo ro; id -u; id -g; pwd; cat /proc/1/comm; grep CapEff /proc/self/status",
        ])
        spec.readOnlyRootfs = true
        spec.user = "nobody"
        spec.workingDirectory = "/tmp"
        spec.initProcess = true
        let (state, output) = try fixture.output(spec)
        #expect(state.exitCode == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.prefix(4) == ["ro", "65534", "65534", "/tmp"])
        #expect(lines.count > 4 && lines[4].contains("cove-shim"))
        #expect(lines.last?.hasSuffix("0000000000000000") == true)
    }

    @Test("a missing program fails start with exit 127 and the step named")
    func missingProgram() throws {
        guard let fixture = try RuntimeFixture.make() else { return }
        defer { fixture.cleanUp() }
        let handle = try fixture.create(fixture.spec(["/no/such/program"]))
        #expect(throws: CoveError.self) { try fixture.runtime.start(handle) }
        let state = try fixture.runtime.wait(handle)
        #expect(state.exitCode == 127)
        #expect(state.error.contains("exec /no/such/program: No such file or directory"))
        #expect(state.error.hasPrefix("step "))
    }
}
