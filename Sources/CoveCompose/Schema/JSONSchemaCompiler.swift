import CoveCore
import Foundation

// Compiling a schema's `JSONSerialization` tree into `SchemaNode`s (see JSONSchema.swift).

func schemaPointerEscape(_ s: String) -> String {
    guard s.contains(where: { $0 == "~" || $0 == "/" }) else { return s }
    return s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}

/// Turns the `JSONSerialization` tree into `SchemaNodeDraft`s, resolving `$ref` with a cache.
struct SchemaCompiler {
    let document: Any
    var drafts: [SchemaNodeDraft] = []
    var refCache: [String: Int] = [:]
    var unsupported: Set<String> = []

    /// `#/definitions`, bridged to a Swift dictionary once: casting the whole document for
    /// every `$ref` made compiling the schema several times slower.
    let definitions: [String: Any]

    init(document: Any) {
        self.document = document
        definitions = ((document as? [String: Any])?["definitions"] as? [String: Any]) ?? [:]
    }

    static let ignored: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "deprecated",
        "examples", "definitions", "readOnly", "writeOnly",
    ]

    mutating func resolve(ref: String, at where_: String) throws(CoveError) -> Int {
        if let index = refCache[ref] { return index }
        guard ref.hasPrefix("#") else {
            throw CoveError(
                .invalidInput, "schema \(where_): unsupported $ref \"\(ref)\" (only local references)")
        }
        let prefix = "#/definitions/"
        if ref.hasPrefix(prefix), !ref.contains("~"), !ref.contains("%"),
            let definition = definitions[String(ref.dropFirst(prefix.count))]
        {
            return try compile(definition, at: ref, cacheAs: ref)
        }
        var target: Any = document
        for part in ref.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let token = (String(part).removingPercentEncoding ?? String(part))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = target as? [String: Any], let next = object[token] {
                target = next
            } else if let array = target as? [Any], let i = Int(token), array.indices.contains(i) {
                target = array[i]
            } else {
                throw CoveError(.invalidInput, "schema \(where_): $ref \"\(ref)\" points nowhere")
            }
        }
        return try compile(target, at: ref, cacheAs: ref)
    }

    mutating func compile(_ raw: Any, at path: String, cacheAs key: String? = nil) throws(CoveError)
        -> Int
    {
        let index = drafts.count
        drafts.append(SchemaNodeDraft())
        if let key { refCache[key] = index }
        if let flag = Self.jsonBool(raw) {
            drafts[index].alwaysFails = !flag
            return index
        }
        guard let object = raw as? [String: Any] else {
            throw CoveError(.invalidInput, "schema \(path): a schema must be an object or a boolean")
        }
        var d = SchemaNodeDraft()
        for key in object.keys.sorted() {
            guard let value = object[key] else { continue }
            let here = path + "/" + schemaPointerEscape(key)
            switch key {
            case "type":
                var names: [String] = []
                if let one = value as? String {
                    names = [one]
                } else if let many = value as? [String] {
                    names = many
                }
                let types = names.compactMap(SchemaType.init(rawValue:))
                guard !names.isEmpty, types.count == names.count else {
                    throw CoveError(.invalidInput, "schema \(here): invalid type")
                }
                d.types = types
            case "$ref":
                guard let ref = value as? String else {
                    throw CoveError(.invalidInput, "schema \(here): $ref must be a string")
                }
                d.ref = try resolve(ref: ref, at: here)
            case "properties", "patternProperties":
                guard let map = value as? [String: Any] else {
                    throw CoveError(.invalidInput, "schema \(here): must be an object")
                }
                for name in map.keys.sorted() {
                    guard let sub = map[name] else { continue }
                    let child = try compile(sub, at: here + "/" + schemaPointerEscape(name))
                    if key == "properties" {
                        d.properties[name] = child
                    } else {
                        d.patternProperties.append((try SchemaPattern(name, at: here), child))
                    }
                }
            case "additionalProperties": d.additionalProperties = try additional(value, at: here)
            case "additionalItems": d.additionalItems = try additional(value, at: here)
            case "items":
                if let list = value as? [Any] {
                    var tuple: [Int] = []
                    for (i, sub) in list.enumerated() { tuple.append(try compile(sub, at: here + "/\(i)")) }
                    d.tupleItems = tuple
                } else {
                    d.items = try compile(value, at: here)
                }
            case "required":
                guard let names = value as? [String] else {
                    throw CoveError(.invalidInput, "schema \(here): must be a list of strings")
                }
                d.required = names
            case "oneOf", "anyOf", "allOf":
                guard let list = value as? [Any], !list.isEmpty else {
                    throw CoveError(.invalidInput, "schema \(here): must be a non-empty list")
                }
                var branches: [Int] = []
                for (i, sub) in list.enumerated() { branches.append(try compile(sub, at: here + "/\(i)")) }
                if key == "oneOf" {
                    d.oneOf = branches
                } else if key == "anyOf" {
                    d.anyOf = branches
                } else {
                    d.allOf = branches
                }
            case "not": d.not = try compile(value, at: here)
            case "enum":
                guard let list = value as? [Any] else {
                    throw CoveError(.invalidInput, "schema \(here): must be a list")
                }
                d.enumValues = list.map(Self.schemaValue)
            case "const": d.const = Self.schemaValue(value)
            case "uniqueItems": d.uniqueItems = Self.jsonBool(value) ?? false
            case "pattern":
                guard let text = value as? String else {
                    throw CoveError(.invalidInput, "schema \(here): must be a string")
                }
                d.pattern = try SchemaPattern(text, at: here)
            case "minimum": d.minimum = try number(value, at: here)
            case "maximum": d.maximum = try number(value, at: here)
            case "exclusiveMinimum": d.exclusiveMinimum = try number(value, at: here)
            case "exclusiveMaximum": d.exclusiveMaximum = try number(value, at: here)
            case "minLength": d.minLength = try count(value, at: here)
            case "maxLength": d.maxLength = try count(value, at: here)
            case "minItems": d.minItems = try count(value, at: here)
            case "maxItems": d.maxItems = try count(value, at: here)
            case "minProperties": d.minProperties = try count(value, at: here)
            case "maxProperties": d.maxProperties = try count(value, at: here)
            default:
                if !Self.ignored.contains(key) { unsupported.insert(key) }
            }
        }
        drafts[index] = d
        return index
    }

    mutating func additional(_ value: Any, at path: String) throws(CoveError) -> SchemaAdditional {
        if let flag = Self.jsonBool(value) { return flag ? .allowed : .forbidden }
        return .schema(try compile(value, at: path))
    }

    func number(_ value: Any, at path: String) throws(CoveError) -> Double {
        guard Self.jsonBool(value) == nil, let n = value as? NSNumber else {
            throw CoveError(.invalidInput, "schema \(path): must be a number")
        }
        return n.doubleValue
    }

    func count(_ value: Any, at path: String) throws(CoveError) -> Int {
        let n = try number(value, at: path)
        guard n >= 0, n == n.rounded(), n < 1e15 else {
            throw CoveError(.invalidInput, "schema \(path): must be a non-negative integer")
        }
        return Int(n)
    }

    /// Builds the final nodes, computing for each the types it can accept.
    func finish() -> [SchemaNode] {
        var masks = [SchemaTypeMask?](repeating: nil, count: drafts.count)
        var orders = [[SchemaType]](repeating: [], count: drafts.count)
        var visiting = Set<Int>()
        func accepted(_ i: Int) -> SchemaTypeMask {
            if let known = masks[i] { return known }
            guard visiting.insert(i).inserted else { return .all }  // a cycle: no constraint
            defer { visiting.remove(i) }
            let d = drafts[i]
            if d.alwaysFails {
                masks[i] = []
                return []
            }
            var mask = d.types.map(SchemaTypeMask.init(types:)) ?? .all
            var order = d.types ?? []
            if let ref = d.ref {
                mask.formIntersection(accepted(ref))
                if order.isEmpty { order = orders[ref] }
            }
            for group in [d.oneOf, d.anyOf] where !group.isEmpty {
                var union = SchemaTypeMask()
                var groupOrder: [SchemaType] = []
                for branch in group {
                    union.formUnion(accepted(branch))
                    groupOrder += orders[branch].filter { !groupOrder.contains($0) }
                }
                mask.formIntersection(union)
                if order.isEmpty { order = groupOrder }
            }
            for branch in d.allOf { mask.formIntersection(accepted(branch)) }
            if let values = d.enumValues ?? d.const.map({ [$0] }) {
                mask.formIntersection(values.reduce(into: SchemaTypeMask()) { $0.formUnion($1.typeMask) })
            }
            // The names messages use: the schema's own order, narrowed to what is accepted.
            var named: [SchemaType] = []
            for type in order {
                let kept =
                    mask.contains(type.bit) ? type : (type == .number && mask.contains(.integer) ? .integer : nil)
                if let kept, !named.contains(kept) { named.append(kept) }
            }
            orders[i] = named.isEmpty ? SchemaType.allCases.filter { mask.contains($0.bit) } : named
            masks[i] = mask
            return mask
        }
        for i in drafts.indices { _ = accepted(i) }
        return drafts.indices.map {
            SchemaNode(drafts[$0], accepted: masks[$0] ?? .all, order: orders[$0])
        }
    }
}

extension SchemaCompiler {
    /// `true`/`false` from `JSONSerialization` (an `NSNumber` of type char), nil otherwise.
    static func jsonBool(_ value: Any) -> Bool? {
        // Strings, lists and mappings are never booleans: test those cheap native types
        // first, as casting them to `NSNumber` tries (slow) bridging.
        if value is String || value is [Any] || value is [String: Any] { return nil }
        guard let n = value as? NSNumber, String(cString: n.objCType) == "c" else { return nil }
        return n.boolValue
    }

    static func schemaValue(_ value: Any) -> SchemaValue {
        if let flag = Self.jsonBool(value) { return .bool(flag) }
        if let n = value as? NSNumber { return .number(n.doubleValue) }
        if let s = value as? String { return .string(s) }
        if let list = value as? [Any] { return .array(list.map(Self.schemaValue)) }
        if let object = value as? [String: Any] { return .object(object.mapValues(Self.schemaValue)) }
        return .null
    }
}

extension SchemaValue {
    var typeMask: SchemaTypeMask {
        switch self {
        case .null: .null
        case .bool: .boolean
        case .number(let d): d == d.rounded() ? [.integer, .number] : .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }
}
