import Testing

@testable import CoveCompose

/// The YAML writer's shortcut for plain words never skips quotes the full rule would add.
@Suite struct YAMLWriterQuotingTests {
    @Test func plainWordsNeedNoQuotesByTheFullRule() {
        let samples = [
            "image", "nginx", "/srv", "/var/lib/svc0000", "/", "//", "a/b.c-d_e", "null", "Null", "true", "True",
            "false", "yes", "no", "on", "off", "y", "n", "Y", "N", "o", "tilde", "nan", "inf", "x1", "abc",
            "/a:b", "a b", "a#b", "registry.example.com/app", "f", "t", "on-failure", "unless-stopped", "/.inf",
        ]
        for s in samples where YAMLWriter.isPlainWord(s) {
            #expect(!YAMLWriter.needsQuotesInGeneral(s), "\(s)")
        }
        #expect(YAMLWriter.isPlainWord("/var/lib/svc0000"))
        #expect(YAMLWriter.isPlainWord("unless-stopped"))
        #expect(!YAMLWriter.isPlainWord("true"))
    }
}
