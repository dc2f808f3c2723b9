import CoveCore
import CoveImage
import Testing

@testable import CoveEngine

/// The pure parts of the registry routes: what a pull resolves and which registry a login names.
@Suite struct RegistryRouteUnitTests {
    @Test func thePullReferenceTakesTheTagParameterAsATagOrADigest() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        #expect(try ImageRoutes.pullReference(image: "busybox", tag: "").string == "docker.io/library/busybox:latest")
        #expect(try ImageRoutes.pullReference(image: "busybox", tag: "1.36").string == "docker.io/library/busybox:1.36")
        #expect(
            try ImageRoutes.pullReference(image: "localhost:5000/a/b:old", tag: "new").string
                == "localhost:5000/a/b:new")
        #expect(
            try ImageRoutes.pullReference(image: "localhost:5000/a/b", tag: digest).string
                == "localhost:5000/a/b@\(digest)")
        #expect(
            try ImageRoutes.pullReference(image: "localhost:5000/a/b:1@\(digest)", tag: "").string
                == "localhost:5000/a/b@\(digest)")
        #expect(throws: CoveError.self) { try ImageRoutes.pullReference(image: "a", tag: "bad tag") }
        #expect(throws: CoveError.self) { try ImageRoutes.pullReference(image: "UPPER", tag: "") }
    }

    @Test func aLoginsServerAddressNamesARegistryDomain() throws {
        #expect(try ImageRoutes.registryDomain("") == "docker.io")
        #expect(try ImageRoutes.registryDomain("https://index.docker.io/v1/") == "docker.io")
        #expect(try ImageRoutes.registryDomain("127.0.0.1:5000") == "127.0.0.1:5000")
        #expect(try ImageRoutes.registryDomain("http://localhost:5000/v2/") == "localhost:5000")
        #expect(throws: CoveError.self) { try ImageRoutes.registryDomain("user@host") }
    }

    @Test func progressIsReportedEveryStepAndAtTheEnd() {
        let throttle = ProgressThrottle(total: 1000, step: 300)
        let reported = [1, 100, 301, 500, 700, 999, 1000].filter { throttle.shouldReport(Int64($0)) }
        #expect(reported == [1, 301, 700, 1000])
    }
}
