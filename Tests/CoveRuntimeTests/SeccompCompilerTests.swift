import Foundation
import Testing

@testable import CoveRuntime

@Suite("Seccomp compiler")
struct SeccompCompilerTests {
    static func filter(_ caps: Set<Capability> = Capability.dockerDefault, kernel: String = "6.1.0") throws
        -> SeccompFilter
    {
        try SeccompCompiler.compile(
            SeccompProfile.dockerDefault(), capabilities: caps, architecture: "x86_64", kernel: kernel)
    }

    static func rules(_ filter: SeccompFilter, _ name: String) -> [String] {
        filter.rules.filter { $0.syscall == name }.map(\.description)
    }

    @Test("the shipped profile is Docker's: default EPERM, x86_64 with its 32-bit sub-architectures")
    func defaults() throws {
        let filter = try Self.filter()
        #expect(filter.defaultAction == .errno(1))
        #expect(filter.architectures == ["x86_64", "x86", "x32"])
        #expect(Self.rules(filter, "read") == ["read allow"])
        #expect(Self.rules(filter, "arch_prctl") == ["arch_prctl allow"])
        // arm-only and s390-only entries do not apply on x86_64.
        #expect(Self.rules(filter, "breakpoint").isEmpty)
        #expect(Self.rules(filter, "s390_runtime_instr").isEmpty)
    }

    @Test("without CAP_SYS_ADMIN: clone only without namespace flags, clone3 ENOSYS, no mount or unshare")
    func withoutSysAdmin() throws {
        let filter = try Self.filter()
        #expect(Self.rules(filter, "clone") == ["clone allow if arg0 & 0x7e020000 == 0x0"])
        #expect(Self.rules(filter, "clone3") == ["clone3 errno(38)"])
        #expect(Self.rules(filter, "mount").isEmpty)
        #expect(Self.rules(filter, "unshare").isEmpty)
        #expect(
            Self.rules(filter, "socket") == [
                "socket allow if arg0 lt 38", "socket allow if arg0 eq 39", "socket allow if arg0 gt 40",
            ])
        #expect(Self.rules(filter, "personality").count == 5)
        #expect(Self.rules(filter, "ptrace") == ["ptrace allow"])
        #expect(Self.rules(filter, "ptrace").count == 1)
    }

    @Test("with CAP_SYS_ADMIN: clone, clone3, mount and unshare are allowed outright")
    func withSysAdmin() throws {
        var caps = Capability.dockerDefault
        caps.insert(try #require(Capability(name: "SYS_ADMIN")))
        let filter = try Self.filter(caps)
        #expect(Self.rules(filter, "clone") == ["clone allow"])
        #expect(Self.rules(filter, "clone3") == ["clone3 allow"])
        #expect(Self.rules(filter, "mount") == ["mount allow"])
        #expect(Self.rules(filter, "unshare") == ["unshare allow"])
    }

    @Test("minKernel: ptrace is allowed from 4.8 on only")
    func minimumKernel() throws {
        #expect(Self.rules(try Self.filter(kernel: "4.4.0"), "ptrace").isEmpty)
        #expect(Self.rules(try Self.filter(kernel: "4.8.0"), "ptrace") == ["ptrace allow"])
    }

    @Test("the embedded profile is the shipped docker-default.json byte for byte (scripts/embed-seccomp)")
    func embeddedMatchesFile() throws {
        let file = RuntimeFixture.repository.appendingPathComponent("Sources/CoveRuntime/Seccomp/docker-default.json")
        #expect(try Data(contentsOf: file) == Data(dockerDefaultSeccompJSON.utf8))
    }

    @Test("a profile with an unknown action is refused")
    func badProfile() throws {
        let profile = try SeccompProfile.parse(#"{"defaultAction":"SCMP_ACT_NOPE","syscalls":[]}"#)
        #expect(throws: (any Error).self) {
            try SeccompCompiler.compile(profile, capabilities: [], architecture: "x86_64", kernel: "6.1")
        }
    }
}
