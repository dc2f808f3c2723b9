import CoveCore
import CoveImage
import Testing

@testable import CoveEngine

/// `cove daemon --insecure-registry`: values are `host[:port]`; a URL's scheme and trailing slash go.
@Suite struct InsecureRegistryOptionTests {
    @Test func acceptsHostsAndPorts() throws {
        let values = try DaemonConfiguration.validateInsecureRegistries([
            "reg.lan:5000", "http://10.0.0.2:5000/", "reg.lan", "[fd00::1]:5000",
        ])
        #expect(values == ["reg.lan:5000", "10.0.0.2:5000", "reg.lan", "[fd00::1]:5000"])
    }

    @Test(arguments: ["", "reg.lan/path", "has space:5000", "UPPER_case:1", "http://", "myregistry"])
    func refusesWhatIsNotAHost(_ value: String) {
        #expect {
            try DaemonConfiguration.validateInsecureRegistries([value])
        } throws: { error in
            (error as? CoveError)?.message.hasPrefix("invalid --insecure-registry") == true
        }
    }

    @Test func onlyNamedRemoteRegistriesGetAClient() throws {
        let access = RegistryAccess(insecure: ["reg.lan:5000"])
        #expect(throws: Never.self) {
            try access.client(for: try ImageReference(parsing: "reg.lan:5000/a/b"), auth: nil)
        }
        #expect {
            try access.client(for: try ImageReference(parsing: "other.lan:5000/a/b"), auth: nil)
        } throws: { error in
            (error as? CoveError)?.message.contains("TLS is not supported by cove yet") == true
        }
    }
}
