import CoveCore
import Foundation
import Testing

@testable import CoveImage

/// Cases from Docker's own suites (distribution/reference `normalize_test.go`, `reference_test.go`),
/// run through Docker's normalizing parser.
@Suite struct ImageReferenceTests {
    static let hex64 = String(repeating: "f", count: 64)
    static let busyboxHex = "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"

    struct Valid: CustomTestStringConvertible, Sendable {
        var input: String
        var domain: String
        var path: String
        var tag: String? = nil
        var digest: String? = nil
        var familiar: String? = nil
        var testDescription: String { input }
    }

    static let valid: [Valid] = [
        Valid(input: "busybox", domain: "docker.io", path: "library/busybox", familiar: "busybox"),
        Valid(input: "busybox:latest", domain: "docker.io", path: "library/busybox", tag: "latest"),
        Valid(input: "user/app", domain: "docker.io", path: "user/app", familiar: "user/app"),
        Valid(input: "user/app:1", domain: "docker.io", path: "user/app", tag: "1", familiar: "user/app:1"),
        Valid(input: "docker/docker", domain: "docker.io", path: "docker/docker"),
        Valid(input: "library/debian", domain: "docker.io", path: "library/debian", familiar: "debian"),
        Valid(input: "localhost/library/debian", domain: "localhost", path: "library/debian"),
        Valid(input: "localhost/debian", domain: "localhost", path: "debian", familiar: "localhost/debian"),
        Valid(input: "LOCALDOMAIN/library/debian", domain: "LOCALDOMAIN", path: "library/debian"),
        Valid(input: "LOCALDOMAIN/fooo", domain: "LOCALDOMAIN", path: "fooo", familiar: "LOCALDOMAIN/fooo"),
        Valid(input: "Docker/docker", domain: "Docker", path: "docker"),
        Valid(input: "Foo/bar", domain: "Foo", path: "bar", familiar: "Foo/bar"),
        Valid(input: "docker.io/docker/docker", domain: "docker.io", path: "docker/docker"),
        Valid(input: "docker.io/debian", domain: "docker.io", path: "library/debian", familiar: "debian"),
        Valid(
            input: "docker.io/library/foo/bar", domain: "docker.io", path: "library/foo/bar",
            familiar: "library/foo/bar"),
        Valid(input: "index.docker.io/docker/docker", domain: "docker.io", path: "docker/docker"),
        Valid(input: "index.docker.io/debian", domain: "docker.io", path: "library/debian", familiar: "debian"),
        Valid(input: "127.0.0.1:5000/docker/docker", domain: "127.0.0.1:5000", path: "docker/docker"),
        Valid(input: "127.0.0.1:5000/debian", domain: "127.0.0.1:5000", path: "debian"),
        Valid(input: "192.168.0.1", domain: "docker.io", path: "library/192.168.0.1"),
        Valid(input: "192.168.0.1:80", domain: "docker.io", path: "library/192.168.0.1", tag: "80"),
        Valid(input: "192.168.0.1:8/debian", domain: "192.168.0.1:8", path: "debian"),
        Valid(input: "192.168.1.1:5000/repo:5050", domain: "192.168.1.1:5000", path: "repo", tag: "5050"),
        Valid(
            input: "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", domain: "docker.io",
            path: "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"),
        Valid(input: "[fc00::1]:5000/docker", domain: "[fc00::1]:5000", path: "docker"),
        Valid(
            input: "[fc00:1:2:3:4:5:6:7]:5000/library/debian", domain: "[fc00:1:2:3:4:5:6:7]:5000",
            path: "library/debian"),
        Valid(input: "[2001:db8::1]/repo", domain: "[2001:db8::1]", path: "repo"),
        Valid(
            input: "[::1]:5000/repo:tag", domain: "[::1]:5000", path: "repo", tag: "tag",
            familiar: "[::1]:5000/repo:tag"),
        Valid(
            input: "[2001:db8::1]:5000/repo:tag@sha256:\(hex64)", domain: "[2001:db8::1]:5000", path: "repo",
            tag: "tag", digest: "sha256:\(hex64)"),
        Valid(
            input: "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", domain: "docker.io",
            path: "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"),
        Valid(input: "docker-rules/docker", domain: "docker.io", path: "docker-rules/docker"),
        Valid(input: "docker---rules/docker", domain: "docker.io", path: "docker---rules/docker"),
        Valid(input: "d/docker", domain: "docker.io", path: "d/docker"),
        Valid(input: "jess/t", domain: "docker.io", path: "jess/t"),
        Valid(input: "dock__er/docker", domain: "docker.io", path: "dock__er/docker"),
        Valid(input: "test_com", domain: "docker.io", path: "library/test_com"),
        Valid(input: "test_com/foo", domain: "docker.io", path: "test_com/foo"),
        Valid(input: "test.com:tag", domain: "docker.io", path: "library/test.com", tag: "tag"),
        Valid(input: "test.com:5000", domain: "docker.io", path: "library/test.com", tag: "5000"),
        Valid(input: "test.com/repo:tag", domain: "test.com", path: "repo", tag: "tag"),
        Valid(input: "test:5000/repo", domain: "test:5000", path: "repo"),
        Valid(input: "test-com:8080/foo", domain: "test-com:8080", path: "foo"),
        Valid(input: "test:5000/repo@sha256:\(hex64)", domain: "test:5000", path: "repo", digest: "sha256:\(hex64)"),
        Valid(
            input: "test:5000/repo:tag@sha256:\(hex64)", domain: "test:5000", path: "repo", tag: "tag",
            digest: "sha256:\(hex64)"),
        Valid(input: "lowercase:Uppercase", domain: "docker.io", path: "library/lowercase", tag: "Uppercase"),
        Valid(
            input: "sub-dom1.foo.com/bar/baz/quux:some-long-tag", domain: "sub-dom1.foo.com", path: "bar/baz/quux",
            tag: "some-long-tag"),
        Valid(
            input: "b.gcr.io/test.example.com/my-app:test.example.com", domain: "b.gcr.io",
            path: "test.example.com/my-app", tag: "test.example.com"),
        Valid(input: "xn--n3h.com:18080/foo", domain: "xn--n3h.com:18080", path: "foo"),
        Valid(
            input: "xn--7o8h.com/myimage:xn--7o8h.com@sha256:\(hex64)", domain: "xn--7o8h.com", path: "myimage",
            tag: "xn--7o8h.com", digest: "sha256:\(hex64)"),
        Valid(input: "foo_bar.com:8080", domain: "docker.io", path: "library/foo_bar.com", tag: "8080"),
        Valid(input: "foo/foo_bar.com:8080", domain: "docker.io", path: "foo/foo_bar.com", tag: "8080"),
        Valid(input: "Asdf.com/foo/bar", domain: "Asdf.com", path: "foo/bar"),
        Valid(
            input: "registry.io/foo/project--id.module--name.ver---sion--name", domain: "registry.io",
            path: "foo/project--id.module--name.ver---sion--name"),
        Valid(
            input: "example.com/some_separator__underscore/myimage", domain: "example.com",
            path: "some_separator__underscore/myimage"),
        Valid(
            input: "localhost:5000/x:y", domain: "localhost:5000", path: "x", tag: "y", familiar: "localhost:5000/x:y"),
        Valid(input: "localhost:8080", domain: "docker.io", path: "library/localhost", tag: "8080"),
        Valid(input: "localhost", domain: "docker.io", path: "library/localhost"),
        Valid(input: "ghcr.io/owner/repo/sub:v1.2.3", domain: "ghcr.io", path: "owner/repo/sub", tag: "v1.2.3"),
        Valid(
            input: "busybox:latest@sha256:\(busyboxHex)", domain: "docker.io", path: "library/busybox", tag: "latest",
            digest: "sha256:\(busyboxHex)", familiar: "busybox:latest@sha256:\(busyboxHex)"),
        Valid(input: "dbcc1", domain: "docker.io", path: "library/dbcc1"),
        Valid(
            input: "a:" + String(repeating: "t", count: 128), domain: "docker.io", path: "library/a",
            tag: String(repeating: "t", count: 128)),
        Valid(
            input: "example.com/" + String(repeating: "a", count: 255) + ":tag", domain: "example.com",
            path: String(repeating: "a", count: 255), tag: "tag"),
        Valid(
            input: String(repeating: "a/", count: 127) + "a:tag-puts-this-over-max", domain: "docker.io",
            path: String(repeating: "a/", count: 127) + "a", tag: "tag-puts-this-over-max"),
    ]

    @Test(arguments: valid)
    func parsesAsDocker(_ c: Valid) throws {
        let reference = try ImageReference(parsing: c.input)
        #expect(reference.domain == c.domain)
        #expect(reference.path == c.path)
        #expect(reference.tag == c.tag)
        #expect(reference.digest?.description == c.digest)
        #expect(reference.name == "\(c.domain)/\(c.path)")
        var full = "\(c.domain)/\(c.path)"
        if let tag = c.tag { full += ":\(tag)" }
        if let digest = c.digest { full += "@\(digest)" }
        #expect(reference.string == full)
        if let familiar = c.familiar { #expect(reference.familiar == familiar) }
        // The fully qualified and familiar forms parse back to the same reference.
        #expect(try ImageReference(parsing: reference.string) == reference)
        // (Except a familiar name of 64 hex digits, which Docker reads as an image id.)
        if !Digest.isSHA256Hex(reference.familiar) {
            #expect(try ImageReference(parsing: reference.familiar) == reference)
        }
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        var input: String
        var message: String
        var testDescription: String { input.count > 60 ? String(input.prefix(60)) + "…" : input }
    }

    static let format = "invalid reference format"

    static let invalid: [Invalid] = [
        Invalid(input: "", message: "invalid reference format: repository name must have at least one component"),
        Invalid(input: ":justtag", message: format),
        Invalid(input: "@sha256:\(hex64)", message: format),
        Invalid(input: "https://github.com/docker/docker", message: format),
        Invalid(
            input: "docker/Docker",
            message: "invalid reference format: repository name (docker/Docker) must be lowercase"),
        Invalid(
            input: "Busybox", message: "invalid reference format: repository name (library/Busybox) must be lowercase"),
        Invalid(input: "Uppercase:tag", message: "repository name (library/Uppercase) must be lowercase"),
        Invalid(
            input: "test:5000/Uppercase/lowercase:tag",
            message: "repository name (Uppercase/lowercase) must be lowercase"),
        Invalid(input: "docker.io/docker/Docker", message: "must be lowercase"),
        Invalid(input: "Foo/FarB", message: "repository name (FarB) must be lowercase"),
        Invalid(
            input: "Foo__x/bar", message: "invalid reference format: repository name (Foo__x/bar) must be lowercase"),
        Invalid(input: "-docker", message: format),
        Invalid(input: "-docker/docker", message: format),
        Invalid(input: "docker-/docker", message: format),
        Invalid(input: "-docker-/docker", message: format),
        Invalid(input: "-docker.io/docker/docker", message: format),
        Invalid(input: "docker///docker", message: format),
        Invalid(input: "docker.io/docker///docker", message: format),
        Invalid(input: "docker/", message: format),
        Invalid(input: "____/____", message: format),
        Invalid(input: "_docker/_docker", message: format),
        Invalid(input: "dock..er/docker", message: format),
        Invalid(input: "dock_.er/docker", message: format),
        Invalid(input: "dock-.er/docker", message: format),
        Invalid(input: "example.com/__underscore/myimage", message: format),
        Invalid(input: "example.com/..dots/myimage", message: format),
        Invalid(input: "example.com/.dots/myimage", message: format),
        Invalid(input: "docker./docker", message: format),
        Invalid(input: ".docker/docker", message: format),
        Invalid(input: "do__cker:8080/docker", message: format),
        Invalid(input: "bad_hostname.com:8080/myapp:tag", message: format),
        Invalid(input: "foo_bar.com:8080/app", message: format),
        Invalid(input: "foo_bar.com/app", message: format),
        Invalid(input: "foo.com:http/bar", message: format),
        Invalid(input: "[fc00::1]", message: format),
        Invalid(input: "[fc00::1]:5000", message: format),
        Invalid(input: "[2001:db8::1]:tag", message: format),
        Invalid(input: "fc00::1:5000/debian", message: format),
        Invalid(input: "[fe80::1%eth0]:5000/debian", message: format),
        Invalid(input: "[fe80::1%@invalidzone]:5000/repo", message: format),
        Invalid(input: "[2001:db8:3:4::192.0.2.33]:5000/debian", message: format),
        Invalid(input: "[fd00:1:2::3]75050/x", message: format),
        Invalid(input: "aa/asdf$$^/aa", message: format),
        Invalid(input: "a^a", message: format),
        Invalid(input: "a/a/a/a/", message: format),
        Invalid(input: "a//a/a", message: format),
        Invalid(input: "foo/bar-", message: format),
        Invalid(input: "foo/-bar", message: format),
        Invalid(input: "registry.com:8080/myapp:invalid~tag", message: format),
        Invalid(input: "busybox:-tag", message: format),
        Invalid(input: "busybox:.tag", message: format),
        Invalid(input: "busybox:", message: format),
        Invalid(input: "busybox:a:b", message: format),
        Invalid(input: "a:" + String(repeating: "t", count: 129), message: format),
        Invalid(input: "busybox with spaces", message: format),
        Invalid(input: "busybox\n", message: format),
        Invalid(input: "bus\u{00FC}box", message: format),
        Invalid(input: "BUSYBOX:1", message: "repository name (library/BUSYBOX) must be lowercase"),
        Invalid(input: "registry.com:8080/myapp@sha256:badbadbadbad", message: format),
        Invalid(input: "registry.com:8080/myapp@bad", message: format),
        Invalid(input: "registry.com:8080/myapp@2bad", message: format),
        Invalid(input: "busybox@", message: format),
        Invalid(input: "busybox@sha256:\(hex64)@sha256:\(hex64)", message: format),
        Invalid(input: "repo@sha256:ffffffffffffffffffffffffffffffffff", message: "has 34"),
        Invalid(
            input: "validname@sha512:" + String(repeating: "f", count: 128),
            message: "unsupported digest algorithm \"sha512\""),
        Invalid(input: "validname@invaliddigest:\(hex64)", message: "unsupported digest algorithm \"invaliddigest\""),
        Invalid(input: "busybox@sha256:\(hex64.uppercased())", message: "lower-case"),
        Invalid(
            input: "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            message: "invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), "
                + "cannot specify 64-byte hexadecimal strings"),
        Invalid(
            input: "domain.com/" + String(repeating: "a", count: 256) + ":tag",
            message: "repository name must not be more than 255 characters"),
        Invalid(
            input: "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_"
                + "because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_"
                + "than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
            message: "must not be more than 255 characters"),
    ]

    @Test(arguments: invalid)
    func rejectsAsDocker(_ c: Invalid) {
        #expect {
            try ImageReference(parsing: c.input)
        } throws: { error in
            guard let error = error as? CoveError else { return false }
            return error.code == .invalidInput && error.message.contains(c.message)
        }
    }

    @Test func messagesEscapeAndShortenUserText() {
        let long = "Busybox\n" + String(repeating: "x", count: 5_000)
        #expect {
            try ImageReference(parsing: long)
        } throws: { error in
            guard let message = (error as? CoveError)?.message else { return false }
            return message.hasPrefix("invalid reference format: repository name (library/Busybox\\nxxx")
                && message.hasSuffix("…) must be lowercase") && message.count < 400
        }
        #expect {
            try ImageReference(parsing: "a b")
        } throws: { error in
            (error as? CoveError)?.message == #"invalid reference format: "a b""#
        }
    }

    @Test func defaultTagAndFamiliarForms() throws {
        let busybox = try ImageReference(parsing: "busybox")
        #expect(busybox.tag == nil)
        #expect(busybox.string == "docker.io/library/busybox")
        #expect(busybox.withDefaultTag.string == "docker.io/library/busybox:latest")
        #expect(busybox.withDefaultTag.familiar == "busybox:latest")
        #expect(busybox.familiarName == "busybox")
        #expect(busybox.isDockerHub)
        #expect(try ImageReference(parsing: "busybox:latest") == busybox.withDefaultTag)
        #expect(try ImageReference(parsing: "user/app:1").familiar == "user/app:1")
        #expect(try ImageReference(parsing: "localhost:5000/x:y").familiar == "localhost:5000/x:y")
        let pinned = try ImageReference(parsing: "busybox@sha256:\(Self.busyboxHex)")
        #expect(pinned.withDefaultTag == pinned)
        #expect(pinned.description == "docker.io/library/busybox@sha256:\(Self.busyboxHex)")
    }

    /// Docker's `ParseDockerRef` cases.
    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:latest", "docker.io/library/busybox:latest"),
        ("library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/busybox:latest", "docker.io/library/busybox:latest"),
        ("gcr.io/library/busybox", "gcr.io/library/busybox:latest"),
        ("busybox@sha256:\(busyboxHex)", "docker.io/library/busybox@sha256:\(busyboxHex)"),
        ("gcr.io/library/busybox:latest@sha256:\(busyboxHex)", "gcr.io/library/busybox@sha256:\(busyboxHex)"),
    ])
    func forPullAsParseDockerRef(_ input: String, _ expected: String) throws {
        #expect(try ImageReference(parsing: input).forPull.string == expected)
    }

    @Test func withTagValidatesAndKeepsTheDigest() throws {
        let reference = try ImageReference(parsing: "ghcr.io/o/r@sha256:\(Self.hex64)")
        let tagged = try reference.withTag("v2")
        #expect(tagged.string == "ghcr.io/o/r:v2@sha256:\(Self.hex64)")
        #expect(tagged.repository.string == "ghcr.io/o/r")
        #expect(tagged.withDigest(nil).string == "ghcr.io/o/r:v2")
        #expect(throws: CoveError.self) { try reference.withTag("-foo") }
        #expect(ImageReference.isValidTag("v1.0_rc-1"))
        #expect(!ImageReference.isValidTag("v1+build"))
    }

    @Test func codableAsTheFullString() throws {
        let reference = try ImageReference(parsing: "user/app:1")
        let data = try JSONEncoder().encode([reference])
        #expect(String(decoding: data, as: UTF8.self) == #"["docker.io\/user\/app:1"]"#)
        #expect(try JSONDecoder().decode([ImageReference].self, from: data) == [reference])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ImageReference].self, from: Data(#"["Bad Name"]"#.utf8))
        }
    }
}
