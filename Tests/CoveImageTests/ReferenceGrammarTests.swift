import Testing

@testable import CoveImage

/// The grammar pieces against the tables of Docker's `regexp_test.go`.
@Suite struct ReferenceGrammarTests {
    @Test(arguments: [
        ("test.com", true), ("test.com:10304", true), ("test.com:http", false), ("localhost", true),
        ("localhost:8080", true), ("a", true), ("a.b", true), ("ab.cd.com", true), ("a-b.com", true),
        ("-ab.com", false), ("ab-.com", false), ("ab.c-om", true), ("ab.-com", false), ("ab.com-", false),
        ("0101.com", true), ("001a.com", true), ("b.gbc.io:443", true), ("b.gbc.io", true), ("xn--n3h.com", true),
        ("Asdf.com", true), ("192.168.1.1:75050", true), ("192.168.1.1:750050", true),
        ("[fd00:1:2::3]:75050", true), ("[fd00:1:2::3]75050", false), ("[fd00:1:2::3]::75050", false),
        ("[fd00:1:2::3%eth0]:75050", false), ("[fd00123123123]:75050", true),
        ("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050", true), ("fd00:1:2::3:75050", false), ("", false),
        ("[]:5000", false), ("a..b", false), ("test.com:", false),
    ])
    func domain(_ input: String, _ matches: Bool) {
        #expect(ReferenceGrammar.isDomainAndPort(Array(input.utf8)[...]) == matches)
    }

    @Test(arguments: [
        ("", false), ("short", true), ("simple/name", true), ("library/ubuntu", true), ("docker/stevvooe/app", true),
        ("aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb", true), ("a/a/a/a", true), ("a/a/a/a/", false),
        ("a//a/a", false), ("a", true), ("a/aa/a", true), ("foo.com", true), ("foo.com/", false),
        ("foo.com:8080/bar", true), ("foo.com:http/bar", false), ("foo.com/bar/baz", true),
        ("localhost:8080/bar", true), ("sub-dom1.foo.com/bar/baz/quux", true), ("a^a", false),
        ("aa/asdf$$^/aa", false), ("asdf$$^/aa", false), ("aa-a/a", true),
        (String(repeating: "a/", count: 128) + "a", true), ("a-/a/a/a", false), ("foo.com/a-/a/a", false),
        ("-foo/bar", false), ("foo/bar-", false), ("foo-/bar", false), ("foo/-bar", false), ("_foo/bar", false),
        ("foo_bar", true), ("foo_bar.com", true), ("foo_bar.com:8080", false), ("foo_bar.com:8080/app", false),
        ("foo.com/foo_bar", true), ("____/____", false), ("_docker/_docker", false), ("docker_/docker_", false),
        ("b.gcr.io/test.example.com/my-app", true), ("xn--7o8h.com/myimage", true),
        ("example.com/some_separator__underscore/myimage", true), ("example.com/__underscore/myimage", false),
        ("example.com/..dots/myimage", false), ("example.com/.dots/myimage", false),
        ("example.com/nodouble..dots/myimage", false), ("docker./docker", false), (".docker/docker", false),
        ("docker-/docker", false), ("-docker/docker", false), ("do..cker/docker", false),
        ("do__cker:8080/docker", false), ("do__cker/docker", true), ("do___cker/docker", false),
        ("registry.io/foo/project--id.module--name.ver---sion--name", true), ("Asdf.com/foo/bar", true),
        ("Foo/FarB", false),
    ])
    func name(_ input: String, _ matches: Bool) {
        #expect((ReferenceGrammar.matchName(Array(input.utf8)[...]) != nil) == matches)
    }

    @Test func nameSplitsTheDomainOffWhenItIsOne() throws {
        let (domain, path) = try #require(ReferenceGrammar.matchName(Array("foo/foo_bar.com".utf8)[...]))
        #expect(domain.map { String(decoding: $0, as: UTF8.self) } == "foo")
        #expect(String(decoding: path, as: UTF8.self) == "foo_bar.com")
        let (noDomain, whole) = try #require(ReferenceGrammar.matchName(Array("foo_bar.com/x".utf8)[...]))
        #expect(noDomain == nil)
        #expect(String(decoding: whole, as: UTF8.self) == "foo_bar.com/x")
    }

    @Test(arguments: [
        ("registry.com:8080/myapp:tag", true),
        ("registry.com:8080/myapp@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912", true),
        ("registry.com:8080/myapp:tag2@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912", true),
        ("registry.com:8080/myapp@sha256:badbadbadbad", false), ("registry.com:8080/myapp:invalid~tag", false),
        ("bad_hostname.com:8080/myapp:tag", false),
        ("localhost:8080@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912", true),
        ("localhost:8080/name@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912", true),
        ("localhost:http/name@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912", false),
        ("localhost@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912", true),
        ("registry.com:8080/myapp@bad", false), ("registry.com:8080/myapp@2bad", false),
        ("a@sha256+b64u.x-y:ffffffffffffffffffffffffffffffff", true),
        ("a@sha256:fffffffffffffffffffffffffffffff", false),
        ("a@1sha:ffffffffffffffffffffffffffffffff", false), ("a@sha256:ffffffffffffffffffffffffffffffffzz", false),
    ])
    func reference(_ input: String, _ matches: Bool) {
        #expect((ReferenceGrammar.match(input) != nil) == matches)
    }

    @Test(arguments: [
        ("latest", true), ("1", true), ("_x", true), ("v1.2.3-rc.1_b", true), ("Uppercase", true), ("-x", false),
        (".x", false), ("", false), ("a+b", false), ("a/b", false), ("a:b", false),
        (String(repeating: "t", count: 128), true), (String(repeating: "t", count: 129), false),
    ])
    func tag(_ input: String, _ valid: Bool) {
        #expect(ReferenceGrammar.isTag(input) == valid)
    }
}
