import Foundation
import Testing

/// A registry that wants Bearer tokens from its own token endpoint (`TokenProxy`).
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: RegistryFixtures.available, RegistryFixtures.skipReason))
struct RegistryTokenAuthTests {
    typealias Kit = RegistryFixtures

    @Test func tokensAreFetchedForTheScopesEachRequestNeeds() throws {
        let registry = try RegistryProcess()
        defer { registry.cleanUp() }
        let proxy = try TokenProxy(upstream: registry, user: "robot", password: "t0ken")
        defer { proxy.cleanUp() }
        let first = try DaemonProcess()
        defer { first.cleanUp() }
        let second = try DaemonProcess()
        defer { second.cleanUp() }
        try first.waitUntilServing()
        try second.waitUntilServing()
        let reference = "\(proxy.address)/tok/busybox:1"
        let id = try Kit.seed(first, reference, tar: try Kit.rootfsTar(in: first.scratch))

        let anonymous = try Kit.cove(first, ["image", "push", reference])
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.contains("incorrect username or password"), "\(anonymous.stderr)")

        let wrong = try Kit.cove(first, ["login", proxy.address, "-u", "robot", "--password-stdin"], stdin: "nope")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("incorrect username or password"), "\(wrong.stderr)")
        let login = try Kit.cove(first, ["login", proxy.address, "-u", "robot", "--password-stdin"], stdin: "t0ken")
        #expect(login.status == 0, "\(login.stderr)\n\(first.log)\n\(proxy.log)")
        let pushed = try Kit.cove(first, ["image", "push", reference])
        #expect(pushed.status == 0, "\(pushed.stderr)\n\(first.log)\n\(proxy.log)")
        #expect(proxy.log.contains("granted cove-test repository:tok/busybox:pull,push"), "\(proxy.log)")

        let dockerLogin = try Kit.docker(
            second, ["login", proxy.address, "-u", "robot", "--password-stdin"], stdin: "t0ken")
        #expect(dockerLogin.status == 0, "\(dockerLogin.stderr)")
        let pulled = try Kit.docker(second, ["pull", reference])
        #expect(pulled.status == 0, "\(pulled.stderr)\n\(second.log)\n\(proxy.log)")
        #expect(try Kit.inspect(second, reference, "{{.Id}}") == id)
        #expect(proxy.log.contains("granted cove-test repository:tok/busybox:pull\n"), "\(proxy.log)")
    }
}
