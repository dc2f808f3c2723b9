import CoveCore
import Foundation
import Testing

@testable import CoveCompose

// MARK: - Helpers

/// Builds a `Node` tree from JSON text, with fake but ordered locations: walking the value
/// with mapping keys sorted, every key and every value gets the next line of "test.yaml"
/// (column 1 for keys, 5 for values), so a key and its value never share a location.
private func schemaTree(_ json: String) throws -> Node {
    let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    var line = 0
    func next(_ column: Int) -> CoveCore.SourceLocation {
        line += 1
        return CoveCore.SourceLocation(file: "test.yaml", line: line, column: column)
    }
    func convert(_ value: Any) -> Node {
        let here = next(5)
        if let n = value as? NSNumber {
            if String(cString: n.objCType) == "c" { return Node(.bool(n.boolValue), at: here) }
            let type = String(cString: n.objCType)
            if type == "d" || type == "f" { return Node(.float(n.doubleValue), at: here) }
            return Node(.int(n.intValue), at: here)
        }
        if let s = value as? String { return Node(.string(s), at: here) }
        if let list = value as? [Any] { return Node(.sequence(list.map(convert)), at: here) }
        if let object = value as? [String: Any] {
            var mapping = Mapping()
            for key in object.keys.sorted() {
                let keyAt = next(1)
                if let child = object[key] { mapping.set(key, convert(child), keyAt: keyAt) }
            }
            return Node(.mapping(mapping), at: here)
        }
        return Node(.null, at: here)
    }
    return convert(value)
}

/// A value inside a tree, by keys and list indices.
private func schemaFind(_ node: Node, _ path: Any...) -> Node? {
    var current: Node? = node
    for step in path {
        if let key = step as? String {
            current = current?.mapping?[key]
        } else if let index = step as? Int, let list = current?.sequence, list.indices.contains(index) {
            current = list[index]
        } else {
            return nil
        }
    }
    return current
}

private func schemaMessages(_ schema: String, _ json: String, path: String = "") throws -> [String] {
    try SchemaValidator(schemaJSON: schema).validate(try schemaTree(json), path: path).map(\.message)
}

private func composeErrors(_ json: String) throws -> [CoveError] {
    ComposeSchema.validator.validate(try schemaTree(json))
}

private func composeMessages(_ json: String) throws -> [String] {
    try composeErrors(json).map(\.message)
}

// MARK: - The embedded schema

@Suite struct SchemaEmbeddingTests {
    @Test func embeddedTextIsTheVendoredFileByteForByte() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CoveCompose/Schema/compose-spec.json")
        let vendored = try Data(contentsOf: file)
        #expect(Data(composeSpecJSON.utf8) == vendored, "run scripts/embed-schema")
    }

    @Test func composeSchemaCompilesAndUsesOnlySupportedKeywords() throws {
        let validator = try SchemaValidator(schemaJSON: composeSpecJSON)
        #expect(validator.unsupportedKeywords == [])
        #expect(ComposeSchema.validator.unsupportedKeywords == [])
    }

    @Test func aBrokenSchemaBecomesOneInternalError() {
        let failure = CoveError(.internalError, "broken")
        let errors = SchemaValidator(failure: failure).validate(Node(.null))
        #expect(errors.map(\.code) == [.internalError])
        #expect(errors.map(\.message) == ["broken"])
    }

    @Test(arguments: [
        ("{", "invalid JSON schema"),
        (##"{"$ref": "other.json#/x"}"##, "unsupported $ref"),
        (##"{"$ref": "#/definitions/missing"}"##, "points nowhere"),
        (#"{"pattern": "a("}"#, "invalid pattern"),
        (#"{"type": "text"}"#, "invalid type"),
        ("[1]", "must be an object or a boolean"),
    ])
    func invalidSchemasThrow(schema: String, expected: String) {
        #expect {
            _ = try SchemaValidator(schemaJSON: schema)
        } throws: { error in
            (error as? CoveError)?.message.contains(expected) ?? false
        }
    }
}

// MARK: - Keywords

@Suite struct SchemaKeywordTests {
    @Test func typeNamesTheExpectedAndActualKinds() throws {
        let schema = #"{"properties": {"a": {"type": "array"}, "b": {"type": ["boolean", "string"]}}}"#
        #expect(try schemaMessages(schema, #"{"a": [], "b": true}"#) == [])
        #expect(
            try schemaMessages(schema, #"{"a": "x", "b": 1}"#) == [
                "a: must be a list, not a string",
                "b: must be a boolean or a string, not an integer",
            ])
    }

    @Test func integerAcceptsIntegralFloatsAndNumberAcceptsIntegers() throws {
        let schema = #"{"properties": {"i": {"type": "integer"}, "n": {"type": "number"}}}"#
        #expect(try schemaMessages(schema, #"{"i": 3, "n": 3}"#) == [])
        #expect(try schemaMessages(schema, #"{"i": 3.0, "n": 2.5}"#) == [])
        #expect(
            try schemaMessages(schema, #"{"i": 2.5, "n": "2"}"#) == [
                "i: must be an integer, not a number",
                "n: must be a number, not a string",
            ])
    }

    @Test func nullObjectAndTopLevelTypes() throws {
        #expect(try schemaMessages(#"{"type": "null"}"#, "null") == [])
        #expect(
            try schemaMessages(#"{"type": "object"}"#, "[]") == ["top level: must be a mapping, not a list"])
        #expect(
            try schemaMessages(#"{"type": "object"}"#, "null", path: "services.web") == [
                "services.web: must be a mapping, not null"
            ])
    }

    @Test func unknownKeysAreLocatedAtTheKeyWithASuggestion() throws {
        let schema =
            #"{"properties": {"outer": {"properties": {"image": {}, "ports": {}}, "additionalProperties": false}}}"#
        let root = try schemaTree(#"{"outer": {"imgae": 1, "portz": 2, "zzz": 3}}"#)
        let errors = try SchemaValidator(schemaJSON: schema).validate(root)
        #expect(
            errors.map(\.message) == [
                #"outer: unknown key "imgae" (did you mean "image"?)"#,
                #"outer: unknown key "portz" (did you mean "ports"?)"#,
                #"outer: unknown key "zzz""#,
            ])
        let mapping = try #require(schemaFind(root, "outer")?.mapping)
        #expect(errors.first?.location == mapping.location(ofKey: "imgae"))
        #expect(errors.first?.location != mapping["imgae"]?.location)
        #expect(errors.allSatisfy { $0.code == .invalidInput })
    }

    @Test func patternPropertiesAllowKeysAndValidateTheirValues() throws {
        let schema =
            #"{"properties": {"a": {}}, "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#
        #expect(try schemaMessages(schema, #"{"a": 1, "x-anything": "ok"}"#) == [])
        #expect(try schemaMessages(schema, #"{"x-bad": 1}"#) == ["x-bad: must be a string, not an integer"])
        #expect(
            try schemaMessages(schema, #"{"b": 1}"#) == [#"unknown top-level key "b" (did you mean "a"?)"#])
    }

    @Test func keysOnlyAllowedByPatternSayWhichPattern() throws {
        let schema = #"{"patternProperties": {"^[a-z]+$": {}}, "additionalProperties": false}"#
        #expect(try schemaMessages(schema, #"{"abc": 1}"#) == [])
        #expect(
            try schemaMessages(schema, #"{"Abc": 1}"#, path: "ulimits") == [
                #"ulimits: invalid key "Abc" (keys must match "^[a-z]+$")"#
            ])
    }

    @Test func additionalPropertiesAsASchema() throws {
        let schema = #"{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}"#
        #expect(try schemaMessages(schema, #"{"a": "x", "b": 2}"#) == [])
        #expect(try schemaMessages(schema, #"{"b": "x"}"#) == ["b: must be an integer, not a string"])
    }

    @Test func requiredIsReportedAtTheMapping() throws {
        let schema =
            #"{"properties": {"extends": {"type": "object", "required": ["service"]}}, "required": ["name"]}"#
        let root = try schemaTree(#"{"extends": {"file": "x"}, "name": "p"}"#)
        let errors = try SchemaValidator(schemaJSON: schema).validate(root)
        #expect(errors.map(\.message) == [#"extends: missing required key "service""#])
        #expect(errors.first?.location == schemaFind(root, "extends")?.location)
        #expect(try schemaMessages(schema, #"{}"#) == [#"missing required top-level key "name""#])
    }

    @Test func itemsAreCheckedWithTheirIndexInThePath() throws {
        let schema = #"{"properties": {"list": {"items": {"type": "string"}}}}"#
        #expect(try schemaMessages(schema, #"{"list": ["a", "b"]}"#) == [])
        #expect(
            try schemaMessages(schema, #"{"list": ["a", 2, {"k": 1}]}"#) == [
                "list[1]: must be a string, not an integer",
                "list[2]: must be a string, not a mapping",
            ])
    }

    @Test func tupleItemsAndAdditionalItems() throws {
        let schema = #"{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}"#
        #expect(try schemaMessages(schema, #"["a", 1]"#) == [])
        #expect(
            try schemaMessages(schema, #"[1, 1, 1]"#, path: "pair") == [
                "pair: must have at most 2 items",
                "pair[0]: must be a string, not an integer",
            ])
    }

    @Test func enumListsTheAllowedValuesAndSuggests() throws {
        let schema =
            #"{"properties": {"mode": {"enum": ["host", "private"]}, "gpus": {"enum": ["all"]}}}"#
        #expect(try schemaMessages(schema, #"{"mode": "host", "gpus": "all"}"#) == [])
        #expect(
            try schemaMessages(schema, #"{"mode": "hots", "gpus": 2}"#) == [
                #"gpus: must be "all", not 2"#,
                #"mode: must be one of "host", "private", not "hots" (did you mean "host"?)"#,
            ])
    }

    @Test func constAndNumbersCompareByValue() throws {
        #expect(try schemaMessages(#"{"const": 1}"#, "1.0") == [])
        #expect(try schemaMessages(#"{"const": "a"}"#, #""b""#, path: "k") == [#"k: must be "a", not "b""#])
    }

    @Test func uniqueItemsPointsAtEachDuplicate() throws {
        let schema = #"{"properties": {"dns": {"uniqueItems": true}}}"#
        let root = try schemaTree(
            #"{"dns": ["8.8.8.8", "1.1.1.1", "8.8.8.8", 1, 1.0, {"a": [1]}, {"a": [1.0]}]}"#)
        let errors = try SchemaValidator(schemaJSON: schema).validate(root)
        #expect(
            errors.map(\.message) == [
                #"dns: duplicate item "8.8.8.8""#,
                "dns: duplicate item 1",
                "dns: duplicate item {a: [1]}",
            ])
        #expect(errors.first?.location == schemaFind(root, "dns", 2)?.location)
        #expect(try schemaMessages(schema, #"{"dns": ["a", "b", 1, "1", true]}"#) == [])
    }

    @Test func uniqueItemsInLongLists() throws {
        let schema = #"{"uniqueItems": true}"#
        let items = (0..<40).map { #"{"n": \#($0)}"# } + [#"{"n": 7}"#]
        #expect(
            try schemaMessages(schema, "[" + items.joined(separator: ",") + "]", path: "l") == [
                "l: duplicate item {n: 7}"
            ])
    }

    @Test func minimumAndMaximum() throws {
        let schema = #"{"minimum": 0, "maximum": 100}"#
        #expect(try schemaMessages(schema, "0", path: "p") == [])
        #expect(try schemaMessages(schema, "100", path: "p") == [])
        #expect(try schemaMessages(schema, "-1", path: "p") == ["p: must be at least 0, not -1"])
        #expect(try schemaMessages(schema, "100.5", path: "p") == ["p: must be at most 100, not 100.5"])
        let exclusive = #"{"exclusiveMinimum": 0, "exclusiveMaximum": 1}"#
        #expect(try schemaMessages(exclusive, "0.5", path: "p") == [])
        #expect(try schemaMessages(exclusive, "0", path: "p") == ["p: must be greater than 0, not 0"])
        #expect(try schemaMessages(exclusive, "1", path: "p") == ["p: must be less than 1, not 1"])
    }

    @Test func patternIsAnUnanchoredSearch() throws {
        let schema = #"{"pattern": "always|never|every_([0-9]+[wdhms])+"}"#
        #expect(try schemaMessages(schema, #""every_12h""#, path: "p") == [])
        #expect(
            try schemaMessages(schema, #""sometimes""#, path: "p") == [
                #"p: "sometimes" does not match the pattern "always|never|every_([0-9]+[wdhms])+""#
            ])
        #expect(try schemaMessages(schema, "12", path: "p") == [])  // pattern applies to strings only
    }

    @Test(arguments: [
        ("^x-", "x-a", true), ("^x-", "y-x-", false), ("^x-", "", false),
        ("^[a-zA-Z0-9._-]+$", "web.1_a-b", true), ("^[a-zA-Z0-9._-]+$", "my web", false),
        ("^[a-zA-Z0-9._-]+$", "", false), ("^.+$", "a", true), ("^.+$", "", false),
        ("^.+$", "a\nb", false), (".+", "\n\na", true), (".+", "", false),
        ("[a-zA-Z0-9][a-zA-Z0-9_.-]+", "-ab", true), ("[a-zA-Z0-9][a-zA-Z0-9_.-]+", "a", false),
        ("[a-zA-Z0-9][a-zA-Z0-9_.-]+", "--a_", true), ("[a-zA-Z0-9][a-zA-Z0-9_.-]+", "!!", false),
        ("^ab+c", "abbbc", true), ("^ab+c", "xabc", false), ("a|b", "xbx", true), ("a(b", "", false),
    ])
    func patterns(pattern: String, text: String, expected: Bool) throws {
        guard pattern != "a(b" else {
            #expect(throws: CoveError.self) { _ = try SchemaPattern(pattern, at: "#") }
            return
        }
        #expect(try SchemaPattern(pattern, at: "#").matches(text) == expected)
    }

    @Test func stringAndCollectionSizes() throws {
        #expect(try schemaMessages(#"{"minLength": 2, "maxLength": 3}"#, #""ab""#) == [])
        #expect(
            try schemaMessages(#"{"minLength": 2}"#, #""a""#, path: "s") == [
                "s: must be at least 2 characters long"
            ])
        #expect(
            try schemaMessages(#"{"maxLength": 1}"#, #""ab""#, path: "s") == [
                "s: must be at most 1 character long"
            ])
        #expect(try schemaMessages(#"{"minItems": 1}"#, "[]", path: "l") == ["l: must have at least 1 item"])
        #expect(
            try schemaMessages(#"{"maxProperties": 1}"#, #"{"a": 1, "b": 2}"#, path: "m") == [
                "m: must have at most 1 key"
            ])
    }

    @Test func refsResolveIncludingRecursion() throws {
        let schema = #"""
            {"$ref": "#/definitions/tree",
             "definitions": {"tree": {"type": "object", "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/definitions/tree"}}},
                "additionalProperties": false}}}
            """#
        #expect(
            try schemaMessages(schema, #"{"name": "a", "children": [{"children": [{"name": "c"}]}]}"#) == [])
        #expect(
            try schemaMessages(schema, #"{"children": [{"children": [{"name": 1, "nmae": "x"}]}]}"#) == [
                "children[0].children[0].name: must be a string, not an integer",
                #"children[0].children[0]: unknown key "nmae" (did you mean "name"?)"#,
            ])
    }

    @Test func oneOfWithNoBranchOfTheRightTypeNamesTheTypes() throws {
        let schema =
            #"{"oneOf": [{"type": "null"}, {"type": "string"}, {"type": "array", "items": {"type": "string"}}]}"#
        #expect(try schemaMessages(schema, #"["a"]"#, path: "command") == [])
        #expect(try schemaMessages(schema, "null", path: "command") == [])
        #expect(
            try schemaMessages(schema, #"{"a": 1}"#, path: "command") == [
                "command: must be null, a string or a list, not a mapping"
            ])
    }

    @Test func oneOfReportsTheBranchOfTheValuesType() throws {
        let schema = #"""
            {"oneOf": [{"type": "string"},
                       {"type": "object", "properties": {"service": {"type": "string"}},
                        "required": ["service"], "additionalProperties": false}]}
            """#
        #expect(try schemaMessages(schema, #"{"service": "a"}"#, path: "extends") == [])
        #expect(
            try schemaMessages(schema, #"{"servce": "a"}"#, path: "extends") == [
                #"extends: missing required key "service""#,
                #"extends: unknown key "servce" (did you mean "service"?)"#,
            ])
    }

    @Test func oneOfPrefersTheBranchThatGotFurthest() throws {
        let schema = #"""
            {"oneOf": [
              {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a", "b"]},
              {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "object", "properties": {"c": {"type": "integer"}}}}}]}
            """#
        #expect(
            try schemaMessages(schema, #"{"a": "x", "b": {"c": "deep"}}"#, path: "v") == [
                "v.b.c: must be an integer, not a string"
            ])
    }

    @Test func oneOfMatchingTwoBranchesIsAmbiguous() throws {
        let schema = #"{"oneOf": [{"type": "integer"}, {"type": "number"}, {"type": "string"}]}"#
        #expect(try schemaMessages(schema, "1.5", path: "cpus") == [])
        #expect(
            try schemaMessages(schema, "2", path: "cpus") == [
                "cpus: matches 2 of the 3 allowed forms, but must match exactly one"
            ])
    }

    @Test func anyOfAllOfAndNot() throws {
        let anyOf = #"{"anyOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]}"#
        #expect(try schemaMessages(anyOf, "2", path: "n") == [])
        #expect(try schemaMessages(anyOf, "2.5", path: "n") == ["n: must be at least 10, not 2.5"])
        let allOf = #"{"allOf": [{"minimum": 1}, {"maximum": 5}]}"#
        #expect(try schemaMessages(allOf, "6", path: "n") == ["n: must be at most 5, not 6"])
        #expect(
            try schemaMessages(#"{"not": {"type": "string"}}"#, #""s""#, path: "n") == [
                "n: has a form that is not allowed here"
            ])
        #expect(
            try schemaMessages(#"{"properties": {"a": false}}"#, #"{"a": 1}"#) == ["a: is not allowed here"])
    }

    @Test func keysThatReadAmbiguouslyAreQuotedInPaths() throws {
        let schema = #"{"additionalProperties": {"additionalProperties": {"type": "string"}}}"#
        #expect(
            try schemaMessages(schema, #"{"my.app": {"com.example": 1, "": 2, "plain": 3}}"#) == [
                #"["my.app"][""]: must be a string, not an integer"#,
                #"["my.app"]["com.example"]: must be a string, not an integer"#,
                #"["my.app"].plain: must be a string, not an integer"#,
            ])
    }

    @Test func errorsAreSortedByLocationAndDeduplicated() throws {
        // Both allOf branches report the same problem at the same place: kept once.
        let schema = #"{"additionalProperties": {"allOf": [{"type": "string"}, {"type": "string"}]}}"#
        let errors = try SchemaValidator(schemaJSON: schema).validate(try schemaTree(#"{"b": 1, "a": 2}"#))
        #expect(
            errors.map(\.message) == [
                "a: must be a string, not an integer", "b: must be a string, not an integer",
            ])
        #expect(errors.map { $0.location?.line ?? 0 } == [3, 5])
    }

    @Test func editDistanceCountsASwapAsOneEdit() {
        func d(_ a: String, _ b: String) -> Int {
            SchemaText.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(d("imgae", "image") == 1)
        #expect(d("servces", "services") == 1)
        #expect(d("", "abc") == 3)
        #expect(d("kitten", "sitting") == 3)
        #expect(SchemaText.closest(to: "Image", among: ["image", "init"]) == "image")
        #expect(SchemaText.closest(to: "pid", among: ["ipc"]) == nil)
        #expect(SchemaText.closest(to: "environment", among: ["env_file", "environment"]) == "environment")
        #expect(SchemaText.closest(to: "zzzz", among: ["image"]) == nil)
    }
}

// MARK: - Compose files

@Suite struct ComposeSchemaTests {
    @Test func aRealisticFileIsValid() throws {
        let errors = try composeErrors(
            #"""
            {"name": "shop", "x-common": {"anything": [1, 2]},
             "services": {
               "web": {"image": "nginx:1.27", "ports": ["8080:80", {"target": 443, "published": "8443"}],
                       "command": ["nginx", "-g", "daemon off;"], "restart": "unless-stopped",
                       "environment": {"A": "1", "B": 2, "C": null, "D": true},
                       "depends_on": {"db": {"condition": "service_healthy", "restart": true}},
                       "volumes": ["./html:/usr/share/nginx/html:ro",
                                   {"type": "volume", "source": "data", "target": "/data"}],
                       "healthcheck": {"test": ["CMD", "curl", "-f", "http://localhost"], "interval": "5s"},
                       "labels": ["a=b"], "networks": ["front"], "dns": ["8.8.8.8", "1.1.1.1"],
                       "build": {"context": ".", "args": {"V": "1"}}, "x-note": "hi",
                       "deploy": {"replicas": 2, "resources": {"limits": {"cpus": "0.5", "memory": "512M"}}},
                       "ulimits": {"nofile": {"soft": 1024, "hard": 2048}, "nproc": 65535},
                       "cpus": 1.5, "cpu_percent": 50, "pull_policy": "always", "extends": {"service": "base"}},
               "db": {"image": "postgres", "command": "postgres -c fsync=off", "profiles": ["dev"]}},
             "networks": {"front": {}, "back": null},
             "volumes": {"data": {"driver": "local"}}}
            """#)
        #expect(errors.map(\.message) == [])
    }

    @Test func typoInAServiceKey() throws {
        let root = try schemaTree(#"{"services": {"web": {"imgae": "nginx"}}}"#)
        let errors = ComposeSchema.validator.validate(root)
        #expect(
            errors.map(\.message) == [#"services.web: unknown key "imgae" (did you mean "image"?)"#])
        #expect(
            errors.first?.location == schemaFind(root, "services", "web")?.mapping?.location(ofKey: "imgae"))
        #expect(errors.first?.code == .invalidInput)
    }

    @Test func typoInATopLevelKey() throws {
        #expect(
            try composeMessages(#"{"servces": {}}"#) == [
                #"unknown top-level key "servces" (did you mean "services"?)"#
            ])
        #expect(try composeMessages(#"{"foo": {}}"#) == [#"unknown top-level key "foo""#])
        #expect(try composeMessages(#"{"x-foo": {}, "services": {"web": {"x-bar": 1}}}"#) == [])
    }

    @Test func wrongTypes() throws {
        #expect(
            try composeMessages(#"{"services": {"web": {"ports": "80:80"}}}"#) == [
                "services.web.ports: must be a list, not a string"
            ])
        #expect(
            try composeMessages(#"{"services": {"web": null}}"#) == [
                "services.web: must be a mapping, not null"
            ])
        #expect(
            try composeMessages(#"{"services": {"web": {"privileged": ["yes"], "use_api_socket": 1}}}"#)
                == [
                    "services.web.privileged: must be a boolean or a string, not a list",
                    "services.web.use_api_socket: must be a boolean, not an integer",
                ])
    }

    @Test func unionsNameTheAllowedTypes() throws {
        #expect(
            try composeMessages(#"{"services": {"web": {"command": {"run": "x"}}}}"#) == [
                "services.web.command: must be null, a string or a list, not a mapping"
            ])
        #expect(
            try composeMessages(#"{"services": {"web": {"dns": 8}}}"#) == [
                "services.web.dns: must be a string or a list, not an integer"
            ])
        #expect(
            try composeMessages(#"{"services": {"web": {"environment": {"A": {"b": 1}}}}}"#) == [
                "services.web.environment.A: must be a string, a number, a boolean or null, not a mapping"
            ])
    }

    @Test func theBranchOfTheRightTypeSpeaks() throws {
        #expect(
            try composeMessages(#"{"services": {"web": {"build": {"contxt": "."}}}}"#) == [
                #"services.web.build: unknown key "contxt" (did you mean "context"?)"#
            ])
        #expect(
            try composeMessages(
                #"{"services": {"web": {"ports": [{"target": "80", "publshed": 8080}]}}}"#) == [
                    #"services.web.ports[0]: unknown key "publshed" (did you mean "published"?)"#
                ])
    }

    @Test func missingRequiredKey() throws {
        let root = try schemaTree(#"{"services": {"web": {"extends": {"file": "base.yaml"}}}}"#)
        let errors = ComposeSchema.validator.validate(root)
        #expect(errors.map(\.message) == [#"services.web.extends: missing required key "service""#])
        #expect(errors.first?.location == schemaFind(root, "services", "web", "extends")?.location)
    }

    @Test func enumValues() throws {
        #expect(
            try composeMessages(
                #"{"services": {"web": {"depends_on": {"db": {"condition": "healthy"}}}}}"#) == [
                    #"services.web.depends_on.db.condition: must be one of "service_started", "service_healthy", "service_completed_successfully", not "healthy""#
                ])
        #expect(
            try composeMessages(#"{"services": {"web": {"volumes": [{"type": "bnd", "target": "/x"}]}}}"#)
                == [
                    #"services.web.volumes[0].type: must be one of "bind", "volume", "tmpfs", "cluster", "npipe", "image", not "bnd" (did you mean "bind"?)"#
                ])
    }

    @Test func duplicateItemIsLocatedAtTheDuplicate() throws {
        let root = try schemaTree(#"{"services": {"web": {"dns": ["8.8.8.8", "8.8.4.4", "8.8.8.8"]}}}"#)
        let errors = ComposeSchema.validator.validate(root)
        #expect(errors.map(\.message) == [#"services.web.dns: duplicate item "8.8.8.8""#])
        #expect(errors.first?.location == schemaFind(root, "services", "web", "dns", 2)?.location)
    }

    @Test func numericLimits() throws {
        #expect(
            try composeMessages(#"{"services": {"web": {"cpu_percent": 150, "oom_score_adj": -1001}}}"#)
                == [
                    "services.web.cpu_percent: must be at most 100, not 150",
                    "services.web.oom_score_adj: must be at least -1000, not -1001",
                ])
    }

    @Test func patterns() throws {
        #expect(
            try composeMessages(#"{"services": {"web": {"pull_policy": "sometimes"}}}"#) == [
                #"services.web.pull_policy: "sometimes" does not match the pattern "always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+""#
            ])
        #expect(
            try composeMessages(#"{"services": {"my web": {"image": "x"}}}"#) == [
                #"services: invalid key "my web" (keys must match "^[a-zA-Z0-9._-]+$")"#
            ])
    }

    @Test func allErrorsAreCollectedInFileOrder() throws {
        let errors = try composeErrors(
            #"""
            {"services": {"api": {"imgae": "x", "ports": "80"},
                          "web": {"command": {"a": 1}, "restart": 5}},
             "volumz": {}}
            """#)
        #expect(
            errors.map(\.message) == [
                #"services.api: unknown key "imgae" (did you mean "image"?)"#,
                "services.api.ports: must be a list, not a string",
                "services.web.command: must be null, a string or a list, not a mapping",
                "services.web.restart: must be a string, not an integer",
                #"unknown top-level key "volumz" (did you mean "volumes"?)"#,
            ])
        let lines = errors.map { $0.location?.line ?? 0 }
        #expect(lines == lines.sorted())
    }

    @Test func aSingleServiceAgainstItsDefinition() throws {
        let service = try schemaTree(#"{"image": "x", "prots": ["80"]}"#)
        let errors = ComposeSchema.validator.validate(
            service, definition: "service", path: "services.web")
        #expect(
            errors.map(\.message) == [#"services.web: unknown key "prots" (did you mean "ports"?)"#])
        #expect(
            ComposeSchema.validator.validate(service, definition: "nope", path: "").map(\.code) == [
                .internalError
            ])
    }

    @Test func validatesAThousandServicesQuickly() throws {
        var services = Mapping()
        for i in 0..<1000 {
            let service = try schemaTree(
                #"""
                {"image": "registry.example.com/team/app-\#(i):1.2.3", "restart": "always",
                 "command": ["serve", "--port", "80"], "environment": {"A": "1", "B": 2, "C": "three"},
                 "ports": ["\#(8000 + i):80", "\#(9000 + i):443"], "volumes": ["./data-\#(i):/data", "logs:/var/log"],
                 "depends_on": ["db"], "labels": {"com.example.tier": "web"}, "networks": ["front", "back"],
                 "healthcheck": {"test": ["CMD", "true"], "interval": "5s"}}
                """#)
            services.set(
                "svc\(i)", service,
                keyAt: CoveCore.SourceLocation(file: "compose.yaml", line: i + 1, column: 3))
        }
        let root = Node(.mapping(Mapping([("services", Node(.mapping(services)))])))
        let validator = ComposeSchema.validator
        _ = validator.validate(root)
        let clock = ContinuousClock()
        var best = Duration.seconds(60)
        for _ in 0..<5 {
            var errors: [CoveError] = []
            let elapsed = clock.measure { errors = validator.validate(root) }
            best = min(best, elapsed)
            #expect(errors.isEmpty)
        }
        print("schema validation of 1000 services: \(best)")
    }
}

@Suite struct SchemaTypeSetTests {
    @Test func numberIncludesInteger() throws {
        let schema = #"{"type": "number", "oneOf": [{"type": "integer"}, {"type": "string"}]}"#
        #expect(try schemaMessages(schema, "3", path: "n") == [])
        #expect(try schemaMessages(schema, "2.5", path: "n") == ["n: must be an integer or a string, not a number"])
        let nested = #"{"oneOf": [{"type": "number", "allOf": [{"type": "integer"}]}, {"type": "string"}]}"#
        #expect(try schemaMessages(nested, "true", path: "n") == ["n: must be an integer or a string, not a boolean"])
    }
}
