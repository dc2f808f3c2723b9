import CoveCore
import Testing

@testable import CoveCompose

/// The YAML stage on libyaml's events: large `services` mappings are built in parallel,
/// yet the tree and the first error are those of a sequential build, and composer errors
/// (duplicate keys, undefined aliases) come in the order Yams reported them.
@Suite struct YAMLParserTests {
    /// A compose text of `count` services (above `Parallel.minimumItems`); `body(i)` adds
    /// lines to service i, each service taking 2 lines plus its body.
    static func services(_ count: Int = 100, _ body: (Int) -> String = { _ in "" }) -> String {
        var text = "services:\n"
        for i in 0..<count { text += "  s\(i):\n    image: i\(i)\n" + body(i) }
        return text
    }

    func message(_ text: String) -> String? {
        do {
            _ = try YAMLParser.parse(text, file: "c.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func largeServicesKeepOrderLocationsAndAliases() throws {
        let text = Self.services { i in
            i == 3 ? "    labels: &shared {a: b}\n" : i > 3 ? "    labels: *shared\n    <<: {restart: always}\n" : ""
        }
        let tree = try YAMLParser.parse(text, file: "c.yaml")
        let services = try #require(tree.mapping?["services"]?.mapping)
        #expect(services.keys == (0..<100).map { "s\($0)" })
        let last = try #require(services["s99"]?.mapping)
        #expect(last["image"]?.string == "i99")
        #expect(last["restart"]?.string == "always")
        // An alias keeps the location of the node it names (service 3's labels).
        #expect(last["labels"]?.mapping?["a"]?.location.line == 1 + 3 * 2 + 3)
        #expect(services.location(ofKey: "s99")?.line == 1 + 3 * 2 + 3 + 95 * 4 + 1)
    }

    @Test func theFirstErrorInDocumentOrderIsReported() {
        let text = Self.services { i in i == 20 || i == 80 ? "    ~: x\n" : "" }
        #expect(message(text) == "c.yaml:44:5: mapping keys must be strings, not null")
    }

    @Test func aDuplicateKeyInALargeServicesMappingIsFound() {
        let text = Self.services { i in i == 70 ? "    image: again\n" : "" }
        #expect(message(text) == "c.yaml:143:5: duplicate key \"image\" in the same mapping")
    }

    @Test func twoMergeKeysAreDuplicates() {
        #expect(message("a:\n  <<: {x: 1}\n  <<: {y: 2}\n") == "c.yaml:2:3: duplicate key \"<<\" in the same mapping")
    }

    @Test func keysDifferingByTagAreNotDuplicates() throws {
        let tree = try YAMLParser.parse("a: 1\n!custom a: 2\n", file: "c.yaml")
        #expect(tree.mapping?.count == 1)
    }

    @Test func composerErrorsComeInDocumentOrder() {
        // A mapping with a duplicate closes before a later undefined alias...
        #expect(message("a: {k: 1, k: 2}\nb: *nowhere\n") == "c.yaml:1:5: duplicate key \"k\" in the same mapping")
        // ...and an undefined alias inside a mapping comes before that mapping's duplicate.
        #expect(message("a: {j: *nowhere, k: 1, k: 2}\n") == "c.yaml:1:8: invalid YAML: found undefined alias")
        // Composer errors before a syntax error come first.
        #expect(message("a: *nowhere\nb: [\n") == "c.yaml:1:4: invalid YAML: found undefined alias")
    }

    @Test func aSecondDocumentIsNamedAtItsRoot() {
        #expect(
            message("a: 1\n---\n\nb: 2\n")
                == "c.yaml:4:1: a compose file holds one YAML document; found a second one")
    }

    @Test func aliasKeysAndTagsAreRead() throws {
        let tree = try YAMLParser.parse("x: &k name\n*k : 1\ny: !!str 12\nz: !reset\n", file: "c.yaml")
        let m = try #require(tree.mapping)
        #expect(m["name"]?.int == 1)
        #expect(m["y"]?.string == "12")
        #expect(m["z"]?.isNull == true)
        #expect(m["z"]?.mergeTag == .reset)
    }
}
