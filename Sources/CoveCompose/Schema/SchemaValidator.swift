import CoveCore

/// Checks a loaded YAML tree against a JSON Schema (a draft-07 subset) and reports every
/// problem as a positioned `CoveError` with a message that starts with the value's path:
/// `services.web: unknown key "imgae" (did you mean "image"?)`.
///
/// The schema is compiled once, in `init`; a validator is immutable and can be shared
/// between tasks. Errors come back sorted by line and column, without duplicates.
/// For `oneOf`/`anyOf`, only the alternative the user most likely meant is reported (the one
/// whose type matches the value and that got furthest), or, when no alternative has the
/// value's type, one line naming the types that would do.
public struct SchemaValidator: Sendable {
    private let program: SchemaProgram?
    private let failure: CoveError?

    /// Compiles a schema from its JSON text.
    ///
    /// - Throws: `CoveError` (`.invalidInput`) when the text is not JSON, or uses a keyword
    ///   in a way the validator cannot compile (a non-local `$ref`, an invalid pattern).
    public init(schemaJSON: String) throws(CoveError) {
        program = try SchemaProgram(json: schemaJSON)
        failure = nil
    }

    /// A validator that cannot validate: it reports `failure` for every document.
    init(failure: CoveError) {
        program = nil
        self.failure = failure
    }

    /// Validates `root` against the whole schema.
    ///
    /// - Parameters:
    ///   - root: the document (or the part of it the schema describes).
    ///   - path: the dotted path of `root` in its document, put in front of every message;
    ///     empty for a whole file, whose unknown keys are then reported as
    ///     `unknown top-level key "servces" (did you mean "services"?)`.
    /// - Returns: all problems found, sorted by location; empty when `root` is valid.
    public func validate(_ root: Node, path: String = "") -> [CoveError] {
        guard let program else { return failure.map { [$0] } ?? [] }
        return run(root, schema: program.root, program: program, path: path)
    }

    /// Validates `node` against one entry of the schema's `definitions` (for instance the
    /// compose schema's `"service"`), with `path` as the prefix of every message.
    public func validate(_ node: Node, definition: String, path: String) -> [CoveError] {
        guard let program else { return failure.map { [$0] } ?? [] }
        guard let schema = program.definitions[definition] else {
            return [CoveError(.internalError, "the schema has no definition \"\(definition)\"")]
        }
        return run(node, schema: schema, program: program, path: path)
    }

    /// Keywords the schema uses that this validator does not enforce.
    var unsupportedKeywords: [String] { program?.unsupportedKeywords ?? [] }

    private func run(_ node: Node, schema: Int, program: SchemaProgram, path: String) -> [CoveError] {
        var walker = SchemaWalker(nodes: program.nodes)
        walker.check(node, schema)
        guard !walker.issues.isEmpty else { return [] }
        let ordered = walker.issues.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            if l.line != r.line { return l.line < r.line }
            if l.column != r.column { return l.column < r.column }
            return a.offset < b.offset
        }
        var seen = Set<String>()
        var errors: [CoveError] = []
        for (_, issue) in ordered {
            let message = issue.message(prefix: path)
            guard seen.insert("\(issue.location)\u{0}\(message)").inserted else { continue }
            errors.append(.invalid(message, at: issue.location))
        }
        return errors
    }
}

/// The Compose Specification schema that ships with Cove.
public enum ComposeSchema {
    /// A validator for compose files, compiled once, on first use, from the embedded schema.
    /// Should the embedded schema ever fail to compile (a bug), this validator reports that
    /// as one `.internalError` instead of validating.
    public static let validator: SchemaValidator = {
        do throws(CoveError) {
            return try SchemaValidator(schemaJSON: composeSpecJSON)
        } catch {
            return SchemaValidator(
                failure: CoveError(
                    .internalError, "the built-in compose schema does not compile: \(error.message)"))
        }
    }()
}

/// One validation pass: the path to the current value, and the problems found so far.
private struct SchemaWalker {
    let nodes: [SchemaNode]
    var path: [SchemaPathComponent] = []
    var issues: [SchemaIssue] = []

    init(nodes: [SchemaNode]) {
        self.nodes = nodes
        path.reserveCapacity(16)
    }

    mutating func report(_ location: SourceLocation, _ problem: SchemaProblem) {
        issues.append(SchemaIssue(location: location, path: path, problem: problem))
    }

    mutating func check(_ node: Node, _ index: Int) {
        let s = nodes[index]
        if s.alwaysFails {
            report(node.location, .notAllowed)
            return
        }
        if !s.typeMask.accepts(node.value) {
            report(node.location, .wrongType(expected: s.types ?? [], actual: node.kindName))
            return
        }
        if let ref = s.ref { check(node, ref) }
        // Bind a payload only when some keyword needs it: a copy of a mapping costs retains.
        if s.checksObject, case .mapping(let mapping) = node.value {
            checkMapping(mapping, node, s)
        } else if s.checksArray, case .sequence(let items) = node.value {
            checkList(items, node, s)
        } else if s.checksString, case .string(let text) = node.value {
            checkString(text, node, s)
        } else if s.checksNumber {
            if case .int(let i) = node.value { checkNumber(Double(i), node, s) }
            if case .float(let d) = node.value { checkNumber(d, node, s) }
        }
        guard s.hasCombinators else { return }
        if let values = s.enumValues, !values.contains(where: { $0.matches(node) }) {
            let suggestion = node.string.flatMap { text in
                SchemaText.closest(
                    to: text, among: values.compactMap { if case .string(let v) = $0 { v } else { nil } })
            }
            report(node.location, .notInEnum(values, actual: node.schemaDisplay, suggestion: suggestion))
        }
        if let value = s.const, !value.matches(node) {
            report(node.location, .notInEnum([value], actual: node.schemaDisplay, suggestion: nil))
        }
        for branch in s.allOf { check(node, branch) }
        if !s.anyOf.isEmpty { checkAlternatives(node, s.anyOf, exactlyOne: false) }
        if !s.oneOf.isEmpty { checkAlternatives(node, s.oneOf, exactlyOne: true) }
        if let not = s.not, trial(node, not).isEmpty { report(node.location, .matchesForbidden) }
    }

    /// Checks `node` against `index`, returning the problems instead of keeping them.
    mutating func trial(_ node: Node, _ index: Int) -> [SchemaIssue] {
        var found: [SchemaIssue] = []
        swap(&found, &issues)
        check(node, index)
        swap(&found, &issues)
        return found
    }

    /// `oneOf` (`exactlyOne`) and `anyOf`. Branches that cannot accept the value's type are
    /// not even tried; of the others, the one that failed deepest (then with fewest problems)
    /// speaks for all.
    mutating func checkAlternatives(_ node: Node, _ branches: [Int], exactlyOne: Bool) {
        // Count the branches that accept the value's type without allocating: most of the
        // time exactly one does, and its verdict is final.
        var candidateCount = 0
        var first = 0
        for branch in branches where nodes[branch].acceptedTypes.accepts(node.value) {
            if candidateCount == 0 { first = branch }
            candidateCount += 1
        }
        if candidateCount == 0 {
            var expected: [SchemaType] = []
            for branch in branches {
                expected += nodes[branch].acceptedTypeOrder.filter { !expected.contains($0) }
            }
            report(node.location, .wrongType(expected: expected, actual: node.kindName))
            return
        }
        if candidateCount == 1 {
            check(node, first)
            return
        }
        let candidates = branches.filter { nodes[$0].acceptedTypes.accepts(node.value) }
        var matching = 0
        var best: (issues: [SchemaIssue], depth: Int)?
        for branch in candidates {
            let found = trial(node, branch)
            if found.isEmpty {
                matching += 1
                if !exactlyOne { return }
                continue
            }
            let depth = found.reduce(0) { max($0, $1.depth) }
            if let current = best,
                depth < current.depth || (depth == current.depth && found.count >= current.issues.count)
            {
                continue
            }
            best = (found, depth)
        }
        if matching == 1 { return }
        if matching > 1 {
            report(node.location, .ambiguous(matching: matching, of: branches.count))
        } else if let best {
            issues += best.issues
        }
    }

    mutating func checkMapping(_ mapping: Mapping, _ node: Node, _ s: SchemaNode) {
        // Looking each key up is faster than the type-erased iterator or a copy of `values`.
        for key in mapping.keys {
            guard let value = mapping[key] else { continue }
            var matched = false
            if let property = s.properties[key] {
                matched = true
                path.append(.key(key))
                check(value, property)
                path.removeLast()
            }
            for entry in s.patternProperties where entry.pattern.matches(key) {
                matched = true
                path.append(.key(key))
                check(value, entry.schema)
                path.removeLast()
            }
            guard !matched else { continue }
            switch s.additionalProperties {
            case .allowed:
                break
            case .forbidden:
                report(mapping.location(ofKey: key) ?? value.location, unknownKey(key, in: s))
            case .schema(let schema):
                path.append(.key(key))
                check(value, schema)
                path.removeLast()
            }
        }
        for key in s.required where mapping[key] == nil {
            report(node.location, .missingKey(key))
        }
        if let min = s.minProperties, mapping.count < min { report(node.location, .tooFewKeys(min)) }
        if let max = s.maxProperties, mapping.count > max { report(node.location, .tooManyKeys(max)) }
    }

    private func unknownKey(_ key: String, in s: SchemaNode) -> SchemaProblem {
        if s.properties.isEmpty, !s.patternProperties.isEmpty {
            let patterns = s.patternProperties.map(\.pattern.source)
            let significant = patterns.filter { !$0.hasPrefix("^x-") }
            return .invalidKey(key, patterns: significant.isEmpty ? patterns : significant)
        }
        return .unknownKey(key, suggestion: SchemaText.closest(to: key, among: s.propertyNames))
    }

    mutating func checkList(_ items: [Node], _ node: Node, _ s: SchemaNode) {
        if let schema = s.items {
            for i in items.indices {
                path.append(.index(i))
                check(items[i], schema)
                path.removeLast()
            }
        } else if let tuple = s.tupleItems {
            for i in items.indices {
                let schema: Int
                if i < tuple.count {
                    schema = tuple[i]
                } else if case .schema(let extra) = s.additionalItems {
                    schema = extra
                } else if case .forbidden = s.additionalItems {
                    report(node.location, .tooManyItems(tuple.count))
                    break
                } else {
                    break
                }
                path.append(.index(i))
                check(items[i], schema)
                path.removeLast()
            }
        }
        if let min = s.minItems, items.count < min { report(node.location, .tooFewItems(min)) }
        if let max = s.maxItems, items.count > max { report(node.location, .tooManyItems(max)) }
        if s.uniqueItems, items.count > 1 { checkUnique(items) }
    }

    /// Reports each item equal to an earlier one. Short lists (the usual case) are compared
    /// pairwise; long ones through a set of canonical keys.
    mutating func checkUnique(_ items: [Node]) {
        if items.count <= 16 {
            for i in 1..<items.count
            where (0..<i).contains(where: { Self.jsonEqual(items[$0], items[i]) }) {
                report(items[i].location, .duplicateItem(items[i].schemaDisplay))
            }
            return
        }
        var seen = Set<String>(minimumCapacity: items.count)
        for item in items where !seen.insert(item.schemaCanonicalKey).inserted {
            report(item.location, .duplicateItem(item.schemaDisplay))
        }
    }

    mutating func checkString(_ text: String, _ node: Node, _ s: SchemaNode) {
        if s.minLength != nil || s.maxLength != nil {
            let length = text.unicodeScalars.count
            if let min = s.minLength, length < min { report(node.location, .tooShort(min)) }
            if let max = s.maxLength, length > max { report(node.location, .tooLong(max)) }
        }
        if let pattern = s.pattern, !pattern.matches(text) {
            report(node.location, .patternMismatch(node.schemaDisplay, pattern: pattern.source))
        }
    }

    mutating func checkNumber(_ value: Double, _ node: Node, _ s: SchemaNode) {
        if let min = s.minimum, value < min {
            report(node.location, .tooSmall(limit: min, exclusive: false, actual: node.schemaDisplay))
        }
        if let min = s.exclusiveMinimum, value <= min {
            report(node.location, .tooSmall(limit: min, exclusive: true, actual: node.schemaDisplay))
        }
        if let max = s.maximum, value > max {
            report(node.location, .tooLarge(limit: max, exclusive: false, actual: node.schemaDisplay))
        }
        if let max = s.exclusiveMaximum, value >= max {
            report(node.location, .tooLarge(limit: max, exclusive: true, actual: node.schemaDisplay))
        }
    }
}

extension SchemaWalker {
    /// JSON equality of two nodes: numbers compare by value, mappings regardless of order.
    static func jsonEqual(_ a: Node, _ b: Node) -> Bool {
        switch (a.value, b.value) {
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y
        case (.sequence(let x), .sequence(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count
                && x.allSatisfy { key, value in y[key].map { jsonEqual(value, $0) } ?? false }
        default: return a.sameValue(as: b)
        }
    }
}

extension SchemaValue {
    /// JSON equality with a node: numbers compare by value (`1` equals `1.0`).
    func matches(_ node: Node) -> Bool {
        switch (self, node.value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .int(let b)): return a == Double(b)
        case (.number(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.object(let a), .mapping(let b)):
            return a.count == b.count && b.allSatisfy { key, value in a[key]?.matches(value) ?? false }
        default: return false
        }
    }
}

extension Node {
    /// A string equal for JSON-equal values (`uniqueItems`): numbers by value, mappings
    /// regardless of key order.
    var schemaCanonicalKey: String {
        switch value {
        case .null: return "z"
        case .bool(let b): return b ? "t" : "f"
        case .int(let i): return "n\(i)"
        case .float(let d):
            return d == d.rounded() && abs(d) < 9e15 ? "n\(Int(d))" : "n\(d)"
        case .string(let s): return "s\(s.utf8.count):\(s)"
        case .sequence(let items): return "[" + items.map(\.schemaCanonicalKey).joined(separator: ",") + "]"
        case .mapping(let m):
            let entries = m.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
            return "{"
                + entries.map { "\($0.0.utf8.count):\($0.0)=\($0.1.schemaCanonicalKey)" }.joined(separator: ",")
                + "}"
        }
    }
}
