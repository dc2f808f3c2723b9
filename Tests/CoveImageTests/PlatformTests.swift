import CoveCore
import Foundation
import Testing

@testable import CoveImage

@Suite struct PlatformTests {
    static let amd64Host = Platform(os: "linux", architecture: "amd64")
    static let arm64Host = Platform(os: "linux", architecture: "arm64")

    @Test(arguments: [
        ("linux/amd64", "linux/amd64"),
        ("linux/arm64", "linux/arm64"),
        ("linux/arm64/v8", "linux/arm64/v8"),
        ("linux/aarch64", "linux/arm64"),
        ("linux/x86_64", "linux/amd64"),
        ("linux/x86-64/v1", "linux/amd64"),
        ("linux/amd64/v3", "linux/amd64/v3"),
        ("linux/arm", "linux/arm"),
        ("linux/arm/v7", "linux/arm/v7"),
        ("linux/arm/7", "linux/arm/v7"),
        ("linux/arm/6", "linux/arm/v6"),
        ("linux/armhf", "linux/arm"),
        ("linux/armel", "linux/arm/v6"),
        ("linux/i386", "linux/386"),
        ("LINUX/AMD64", "linux/amd64"),
        ("macos/arm64", "darwin/arm64"),
        ("linux", "linux/amd64"),
        ("arm64", "linux/arm64"),
        ("aarch64", "linux/arm64"),
        ("armhf", "linux/arm"),
        ("windows/amd64", "windows/amd64"),
        ("linux/riscv64", "linux/riscv64"),
        ("linux/arm64/v9.0", "linux/arm64/v9"),
    ])
    func parsesSpecifiers(_ specifier: String, _ expected: String) throws {
        #expect(try Platform.parse(specifier, host: Self.amd64Host).description == expected)
    }

    @Test func loneOSTakesTheHostArchitecture() throws {
        let arm = Platform(os: "linux", architecture: "arm", variant: "v6")
        #expect(try Platform.parse("linux", host: arm).description == "linux/arm/v6")
        #expect(try Platform.parse("s390x", host: Self.amd64Host).description == "linux/s390x")
    }

    @Test(arguments: [
        ("", "is not a valid operating system"),
        ("linux/", "is not a valid architecture"),
        ("linux/amd64/", "is not a valid variant"),
        ("linux/amd64/v3/x", "expected os[/arch[/variant]]"),
        ("linux/*", "wildcards are not supported"),
        ("linux/am d64", "is not a valid architecture"),
        ("linux(10.0)/amd64", "is not a valid operating system"),
        ("plan10", "unknown operating system or architecture"),
    ])
    func rejectsBadSpecifiers(_ specifier: String, _ message: String) {
        #expect {
            try Platform.parse(specifier, host: Self.amd64Host)
        } throws: { error in
            (error as? CoveError)?.message.contains(message) == true
        }
    }

    @Test func normalizationMakesAliasesEqual() throws {
        let a = Platform(os: "linux", architecture: "aarch64", variant: "8").normalized
        let b = Platform(os: "linux", architecture: "arm64", variant: "v8").normalized
        let c = Platform(os: "linux", architecture: "arm64").normalized
        #expect(a == b && b == c)
        #expect(Platform(os: "linux", architecture: "arm").normalized.variant == "v7")
        #expect(Platform(os: "linux", architecture: "amd64", variant: "").variant == nil)
        let decoded = try JSONDecoder().decode(
            Platform.self, from: Data(#"{"os": "linux", "architecture": "amd64", "variant": ""}"#.utf8))
        #expect(decoded.description == "linux/amd64")
    }

    @Test(arguments: [
        // wanted, candidate, matches
        ("linux/amd64", "linux/amd64", true),
        ("linux/amd64", "linux/386", true),
        ("linux/amd64", "linux/amd64/v2", false),
        ("linux/amd64/v3", "linux/amd64/v2", true),
        ("linux/amd64/v3", "linux/amd64", true),
        ("linux/amd64/v2", "linux/amd64/v3", false),
        ("linux/amd64", "linux/arm64", false),
        ("linux/amd64", "windows/amd64", false),
        ("linux/arm64", "linux/arm64/v8", true),
        ("linux/arm64/v8", "linux/arm64", true),
        ("linux/arm64", "linux/arm/v7", true),
        ("linux/arm64", "linux/arm/v8", true),
        ("linux/arm64", "linux/arm64/v8.2", false),
        ("linux/arm64/v8.2", "linux/arm64/v8.1", true),
        ("linux/arm64/v9", "linux/arm64/v8.5", true),
        ("linux/arm64/v9", "linux/arm64/v8.6", false),
        ("linux/arm/v7", "linux/arm/v6", true),
        ("linux/arm/v7", "linux/arm/v5", true),
        ("linux/arm/v6", "linux/arm/v7", false),
        ("linux/arm", "linux/arm/v7", true),
        ("linux/arm/v7", "linux/arm", true),
        ("linux/arm/v7", "linux/arm64", false),
        ("linux/386", "linux/amd64", false),
        ("linux/riscv64", "linux/riscv64", true),
    ])
    func matchesAsContainerd(_ wanted: String, _ candidate: String, _ matches: Bool) throws {
        let matcher = PlatformMatcher(try Platform.parse(wanted, host: Self.amd64Host))
        #expect(matcher.matches(try Platform.parse(candidate, host: Self.amd64Host)) == matches)
    }

    @Test func strictMatcherAcceptsOnlyTheSamePlatform() throws {
        let matcher = PlatformMatcher(strict: try Platform.parse("linux/amd64", host: Self.amd64Host))
        #expect(matcher.matches(Platform(os: "linux", architecture: "x86_64")))
        #expect(!matcher.matches(Platform(os: "linux", architecture: "386")))
    }

    @Test func preferenceOrder() throws {
        let matcher = PlatformMatcher(Platform(os: "linux", architecture: "arm64", variant: "v8.2"))
        let names = matcher.acceptable.map(\.description)
        #expect(
            names == [
                "linux/arm64/v8.2", "linux/arm64/v8.1", "linux/arm64", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6",
                "linux/arm/v5",
            ])
        let amd = PlatformMatcher(Platform(os: "linux", architecture: "amd64", variant: "v3"))
        #expect(amd.acceptable.map(\.description) == ["linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386"])
    }

    @Test func osFeaturesOfTheCandidateMustBeWanted() {
        let wanted = Platform(os: "windows", architecture: "amd64", osFeatures: ["win32k"])
        let matcher = PlatformMatcher(wanted)
        #expect(matcher.matches(Platform(os: "windows", architecture: "amd64", osFeatures: ["win32k"])))
        #expect(matcher.matches(Platform(os: "windows", architecture: "amd64")))
        #expect(!matcher.matches(Platform(os: "windows", architecture: "amd64", osFeatures: ["other"])))
    }
}
