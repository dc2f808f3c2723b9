import CoveCore
import Foundation

// A JSON Schema (draft-07 subset) compiled into Swift values.
//
// The schema text is parsed once with `JSONSerialization`, then every (sub)schema becomes a
// `SchemaNode` in one flat array and refers to its children by index. A `$ref` is resolved
// once per distinct reference (a cache keyed by the reference text), so a definition shared
// by many properties is compiled, and its type set computed, a single time; recursive
// references work because a node's index is reserved before its children are compiled.
// Regular expressions are compiled once, here, never during validation.
//
// Supported keywords: type, $ref (local JSON pointers: "#", "#/definitions/..."), properties,
// patternProperties, additionalProperties (bool or schema), required, items (schema or list)
// with additionalItems, minItems, maxItems, uniqueItems, minProperties, maxProperties,
// minLength, maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum, enum,
// const, oneOf, anyOf, allOf, not, and the boolean schemas `true` and `false`. Annotations
// (title, description, default, deprecated, examples, $id, $schema, $comment, definitions)
// are ignored; any other keyword is recorded in `SchemaProgram.unsupportedKeywords` so a test
// notices when an updated schema starts to need one.

/// The JSON types a schema can name in `type`, in the order messages list them by default.
enum SchemaType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, object, array

    var bit: SchemaTypeMask {
        switch self {
        case .null: .null
        case .boolean: .boolean
        case .integer: .integer
        case .number: .number
        case .string: .string
        case .object: .object
        case .array: .array
        }
    }
}

/// A set of JSON types.
struct SchemaTypeMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }
    static let null = SchemaTypeMask(rawValue: 1 << 0)
    static let boolean = SchemaTypeMask(rawValue: 1 << 1)
    static let integer = SchemaTypeMask(rawValue: 1 << 2)
    static let number = SchemaTypeMask(rawValue: 1 << 3)
    static let string = SchemaTypeMask(rawValue: 1 << 4)
    static let object = SchemaTypeMask(rawValue: 1 << 5)
    static let array = SchemaTypeMask(rawValue: 1 << 6)
    static let all: SchemaTypeMask = [.null, .boolean, .integer, .number, .string, .object, .array]

    /// The types named in a `type` keyword. Every integer is a number, so `number` brings
    /// `integer` along (which keeps intersections such as number ∩ integer right).
    init(types: [SchemaType]) {
        var mask = types.reduce(into: SchemaTypeMask()) { $0.insert($1.bit) }
        if mask.contains(.number) { mask.insert(.integer) }
        self = mask
    }

    /// Whether a node of this value's kind is one of these types. An `.int` is an integer and
    /// a number; a `.float` is a number, and an integer too when it has no fractional part.
    func accepts(_ value: Node.Value) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .int: return !isDisjoint(with: [.integer, .number])
        case .float(let d):
            return contains(.number) || (contains(.integer) && d.isFinite && d == d.rounded())
        case .string: return contains(.string)
        case .mapping: return contains(.object)
        case .sequence: return contains(.array)
        }
    }
}

/// A constant from the schema (`enum`, `const`).
indirect enum SchemaValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SchemaValue])
    case object([String: SchemaValue])
}

/// What a mapping may hold besides `properties` and `patternProperties`.
enum SchemaAdditional: Sendable {
    case allowed, forbidden
    case schema(Int)
}

/// One compiled (sub)schema. Children are indices into `SchemaProgram.nodes`.
struct SchemaNodeDraft {
    var alwaysFails = false
    var types: [SchemaType]?
    var ref: Int?
    var properties: [String: Int] = [:]
    var patternProperties: [(pattern: SchemaPattern, schema: Int)] = []
    var additionalProperties = SchemaAdditional.allowed
    var required: [String] = []
    var minProperties: Int?, maxProperties: Int?
    var items: Int?
    var tupleItems: [Int]?
    var additionalItems = SchemaAdditional.allowed
    var minItems: Int?, maxItems: Int?
    var uniqueItems = false
    var minLength: Int?, maxLength: Int?
    var pattern: SchemaPattern?
    var minimum: Double?, maximum: Double?
    var exclusiveMinimum: Double?, exclusiveMaximum: Double?
    var enumValues: [SchemaValue]?
    var const: SchemaValue?
    var oneOf: [Int] = [], anyOf: [Int] = [], allOf: [Int] = []
    var not: Int?
}

/// An immutable compiled schema node; a class so that reading one during validation costs a
/// single retain rather than a copy of every field.
final class SchemaNode: Sendable {
    let alwaysFails: Bool
    let types: [SchemaType]?
    let typeMask: SchemaTypeMask
    let ref: Int?
    let properties: [String: Int]
    /// The property names, sorted, for "did you mean" suggestions.
    let propertyNames: [String]
    let patternProperties: [(pattern: SchemaPattern, schema: Int)]
    let additionalProperties: SchemaAdditional
    let required: [String]
    let minProperties: Int?, maxProperties: Int?
    let items: Int?
    let tupleItems: [Int]?
    let additionalItems: SchemaAdditional
    let minItems: Int?, maxItems: Int?
    let uniqueItems: Bool
    let minLength: Int?, maxLength: Int?
    let pattern: SchemaPattern?
    let minimum: Double?, maximum: Double?
    let exclusiveMinimum: Double?, exclusiveMaximum: Double?
    let enumValues: [SchemaValue]?
    let const: SchemaValue?
    let oneOf: [Int], anyOf: [Int], allOf: [Int]
    let not: Int?
    /// The types a value can have and still pass this schema (through `$ref`, `oneOf`, ...).
    let acceptedTypes: SchemaTypeMask
    /// `acceptedTypes` in the order messages name them (the schema's own order).
    let acceptedTypeOrder: [SchemaType]
    /// Whether any keyword looks inside a mapping / a list / a string / a number.
    let checksObject: Bool, checksArray: Bool, checksString: Bool, checksNumber: Bool
    /// Whether any of enum, const, allOf, anyOf, oneOf, not is present.
    let hasCombinators: Bool

    init(_ d: SchemaNodeDraft, accepted: SchemaTypeMask, order: [SchemaType]) {
        alwaysFails = d.alwaysFails
        types = d.types
        typeMask = d.types.map(SchemaTypeMask.init(types:)) ?? .all
        ref = d.ref
        properties = d.properties
        propertyNames = d.properties.keys.sorted()
        patternProperties = d.patternProperties
        additionalProperties = d.additionalProperties
        required = d.required
        minProperties = d.minProperties
        maxProperties = d.maxProperties
        items = d.items
        tupleItems = d.tupleItems
        additionalItems = d.additionalItems
        minItems = d.minItems
        maxItems = d.maxItems
        uniqueItems = d.uniqueItems
        minLength = d.minLength
        maxLength = d.maxLength
        pattern = d.pattern
        minimum = d.minimum
        maximum = d.maximum
        exclusiveMinimum = d.exclusiveMinimum
        exclusiveMaximum = d.exclusiveMaximum
        enumValues = d.enumValues
        const = d.const
        oneOf = d.oneOf
        anyOf = d.anyOf
        allOf = d.allOf
        not = d.not
        acceptedTypes = accepted
        acceptedTypeOrder = order
        checksObject =
            !d.properties.isEmpty || !d.patternProperties.isEmpty || !d.required.isEmpty
            || d.minProperties != nil || d.maxProperties != nil
            || { if case .allowed = d.additionalProperties { false } else { true } }()
        checksArray =
            d.items != nil || d.tupleItems != nil || d.uniqueItems || d.minItems != nil
            || d.maxItems != nil
        hasCombinators =
            d.enumValues != nil || d.const != nil || !d.allOf.isEmpty || !d.anyOf.isEmpty
            || !d.oneOf.isEmpty || d.not != nil
        checksString = d.minLength != nil || d.maxLength != nil || d.pattern != nil
        checksNumber =
            d.minimum != nil || d.maximum != nil || d.exclusiveMinimum != nil
            || d.exclusiveMaximum != nil
    }
}

/// A whole compiled schema: its nodes, the root's index, and named definitions.
struct SchemaProgram: Sendable {
    let nodes: [SchemaNode]
    let root: Int
    /// The compiled `#/definitions/<name>` entries.
    let definitions: [String: Int]
    /// Keywords found in the schema that the validator does not enforce, sorted.
    let unsupportedKeywords: [String]

    /// Parses and compiles a schema's JSON text.
    init(json: String) throws(CoveError) {
        let raw: Any
        do {
            raw = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw CoveError(.invalidInput, "invalid JSON schema: \(error.localizedDescription)")
        }
        var compiler = SchemaCompiler(document: raw)
        let root = try compiler.compile(raw, at: "#")
        var definitions: [String: Int] = [:]
        if let defs = (raw as? [String: Any])?["definitions"] as? [String: Any] {
            for (name, _) in defs {
                definitions[name] = try compiler.resolve(
                    ref: "#/definitions/" + schemaPointerEscape(name), at: "#")
            }
        }
        nodes = compiler.finish()
        self.root = root
        self.definitions = definitions
        unsupportedKeywords = compiler.unsupported.sorted()
    }
}
