import CoveCore
import CoveHTTP
import Foundation
import Testing

@testable import CoveImage

/// The registry client's pure parts: challenges, scopes, hosts, error bodies and locations.
@Suite struct RegistryUnitTests {
    @Test func parsesABearerChallengeWithQuotedParameters() {
        let header =
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#
        let challenges = AuthChallenge.parse(header)
        #expect(challenges.count == 1)
        #expect(challenges.first?.scheme == "bearer")
        #expect(challenges.first?.parameters["realm"] == "https://auth.docker.io/token")
        #expect(challenges.first?.parameters["service"] == "registry.docker.io")
        #expect(challenges.first?.parameters["scope"] == "repository:library/busybox:pull")
    }

    @Test func parsesSeveralChallengesEscapesAndUnquotedValues() {
        let challenges = AuthChallenge.parse(
            #"Basic realm="say \"hi\"", charset=UTF-8, BEARER realm=http://127.0.0.1:5001/token,error="invalid_token""#)
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges[0].parameters == ["realm": #"say "hi""#, "charset": "UTF-8"])
        #expect(challenges[1].parameters == ["realm": "http://127.0.0.1:5001/token", "error": "invalid_token"])
    }

    @Test func aBareSchemeOrGarbageGivesWhatCanBeRead() {
        #expect(AuthChallenge.parse("Basic") == [AuthChallenge(scheme: "basic")])
        #expect(AuthChallenge.parse("") == [])
        #expect(AuthChallenge.parse(#"Bearer realm="unterminated"#) == [AuthChallenge(scheme: "bearer")])
    }

    @Test func scopesAreTypeNameAndActions() {
        #expect(RegistryScope.pull("library/busybox").description == "repository:library/busybox:pull")
        #expect(RegistryScope.push("a/b").description == "repository:a/b:pull,push")
        #expect(RegistryScope(type: "registry", name: "catalog", actions: ["*"]).description == "registry:catalog:*")
        #expect(RegistryClient.key([.push("b"), .pull("a")]) == "repository:a:pull repository:b:pull,push")
    }

    @Test func loopbackRegistriesAreReachedOverHTTP() throws {
        let local = try RegistryHost.resolve("127.0.0.1:5000")
        #expect(local.endpoint == .tcp(host: "127.0.0.1", port: 5000))
        #expect(local.hostHeader == "127.0.0.1:5000")
        #expect(try RegistryHost.resolve("localhost").endpoint == .tcp(host: "localhost", port: 80))
        #expect(try RegistryHost.resolve("[::1]:5000").endpoint == .tcp(host: "::1", port: 5000))
        #expect(try RegistryHost.resolve("127.1.2.3:1").endpoint == .tcp(host: "127.1.2.3", port: 1))
    }

    @Test func otherRegistriesNeedTLSUnlessNamedInsecure() throws {
        for domain in ["docker.io", "ghcr.io", "128.0.0.1:5000", "127.0.0.1.example.com"] {
            #expect {
                try RegistryHost.resolve(domain)
            } throws: { error in
                (error as? CoveError)?.message.contains("TLS is not supported by cove yet") == true
            }
        }
        #expect(
            try RegistryHost.resolve("reg.lan:5000", insecure: ["reg.lan:5000"]).endpoint
                == .tcp(host: "reg.lan", port: 5000))
        #expect(try RegistryHost.resolve("reg.lan:5000", insecure: ["reg.lan"]).hostHeader == "reg.lan:5000")
        #expect(throws: CoveError.self) { try RegistryHost.resolve("reg.lan:5000", insecure: ["reg.lan:5001"]) }
        #expect(throws: CoveError.self) { try RegistryHost.resolve("localhost:99999") }
    }

    @Test func registryErrorsReadAsDockerWordsThem() {
        let body = #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}"#
        #expect(RegistryErrorBody.message(Array(body.utf8)) == "manifest unknown: manifest unknown")
        #expect(RegistryErrorBody.message(Array(#"{"errors":[{"code":"DENIED"}]}"#.utf8)) == "denied")
        #expect(RegistryErrorBody.message(Array("<html>502</html>".utf8)) == nil)
        #expect(RegistryErrorBody.message(Array(#"{"errors":[]}"#.utf8)) == nil)
    }

    @Test func failureStatusesMapToCodes() throws {
        let host = try RegistryHost.resolve("localhost:5000")
        #expect(RegistryClient.failure(status: .notFound, body: [], host: host, what: "x").code == .notFound)
        #expect(RegistryClient.failure(status: .forbidden, body: [], host: host, what: "x").code == .unauthorized)
        #expect(RegistryClient.failure(status: .badRequest, body: [], host: host, what: "x").code == .invalidInput)
        let server = RegistryClient.failure(status: .badGateway, body: [], host: host, what: "GET /v2/")
        #expect(server.code == .io)
        #expect(server.message == "502 Bad Gateway")
        #expect(server.cause == "registry localhost:5000 answered 502 to GET /v2/")
    }

    @Test func uploadLocationsMustStayOnTheRegistry() throws {
        let client = RegistryClient(host: try RegistryHost.resolve("127.0.0.1:5000"))
        #expect(
            try client.sameHostTarget("/v2/a/blobs/uploads/u1?_state=x", what: "t") == "/v2/a/blobs/uploads/u1?_state=x"
        )
        #expect(
            try client.sameHostTarget("http://127.0.0.1:5000/v2/a/blobs/uploads/u1?_state=a%2Bb", what: "t")
                == "/v2/a/blobs/uploads/u1?_state=a%2Bb")
        #expect(throws: CoveError.self) { try client.sameHostTarget("http://evil.example/v2/x", what: "t") }
        #expect(throws: CoveError.self) { try client.sameHostTarget("https://127.0.0.1:5000/v2/x", what: "t") }
        #expect(throws: CoveError.self) { try client.sameHostTarget("::not a url", what: "t") }
    }

    @Test func basicCredentialsEncodeUserAndPassword() {
        #expect(RegistryCredentials(username: "user", password: "pa:ss").basicAuthorization == "Basic dXNlcjpwYTpzcw==")
        #expect(RegistryCredentials(username: "", password: "").isEmpty)
    }

    @Test func anIndexYieldsTheManifestForTheWantedPlatformAndNeverAnAttestation() throws {
        func descriptor(_ byte: UInt8, _ platform: Platform, attestation: Bool = false) -> Descriptor {
            Descriptor(
                mediaType: MediaType.ociManifest, digest: Digest.sha256(of: [byte]), size: 10,
                annotations: attestation ? [Annotation.dockerReferenceType: "attestation-manifest"] : nil,
                platform: platform)
        }
        let arm = descriptor(1, Platform(os: "linux", architecture: "arm64", variant: "v8"))
        let unknown = descriptor(2, Platform(os: "unknown", architecture: "unknown"), attestation: true)
        let amd = descriptor(3, Platform(os: "linux", architecture: "amd64"))
        let index = ImageIndex(manifests: [arm, unknown, amd])
        #expect(try index.manifest(for: Platform(os: "linux", architecture: "amd64")) == amd)
        #expect(try index.manifest(for: Platform(os: "linux", architecture: "arm64")) == arm)
        #expect(throws: CoveError.self) { try index.manifest(for: Platform(os: "linux", architecture: "s390x")) }
    }
}
