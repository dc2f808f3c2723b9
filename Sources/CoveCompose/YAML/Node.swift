import CoveCore
import OrderedCollections

/// A YAML value that remembers where it was written.
///
/// Every stage of the loader works on this tree, so that an error found late (in
/// validation, say) still names the file, line and column of the value at fault.
public struct Node: Sendable, CustomStringConvertible {
    /// The value itself. Mappings keep their key order.
    public enum Value: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case mapping(Mapping)
        case sequence([Node])
    }

    /// The Compose merge tags: `!reset` removes a value inherited from an earlier file,
    /// `!override` replaces it whole instead of merging.
    public enum MergeTag: String, Sendable {
        case reset = "!reset"
        case override = "!override"
    }

    public var value: Value
    public var location: SourceLocation
    public var mergeTag: MergeTag?

    public init(_ value: Value, at location: SourceLocation = .synthesized, tag: MergeTag? = nil) {
        self.value = value
        self.location = location
        self.mergeTag = tag
    }

    public static func string(_ s: String, at location: SourceLocation = .synthesized) -> Node {
        Node(.string(s), at: location)
    }

    public static func mapping(_ m: Mapping, at location: SourceLocation = .synthesized) -> Node {
        Node(.mapping(m), at: location)
    }

    public static func sequence(_ items: [Node], at location: SourceLocation = .synthesized)
        -> Node
    {
        Node(.sequence(items), at: location)
    }

    public static let null = Node(.null)

    // MARK: Accessors

    public var mapping: Mapping? {
        if case .mapping(let m) = value { return m }
        return nil
    }

    public var sequence: [Node]? {
        if case .sequence(let s) = value { return s }
        return nil
    }

    public var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    public var int: Int? {
        if case .int(let i) = value { return i }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    public var isScalar: Bool {
        switch value {
        case .mapping, .sequence: return false
        default: return true
        }
    }

    /// The text of a scalar as Compose turns it into a string (`1` → "1", `true` → "true");
    /// nil for null, mappings and sequences.
    public var scalarText: String? {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .float(let d): return Node.formatFloat(d)
        case .null, .mapping, .sequence: return nil
        }
    }

    /// Formats a double the way Go's `%v` does for the values compose files hold.
    static func formatFloat(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    /// The kind of value, as error messages name it ("a string", "a mapping").
    public var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .string: return "a string"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    public var description: String {
        switch value {
        case .null: return "null"
        case .mapping(let m): return "{" + m.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .sequence(let s): return "[" + s.map(\.description).joined(separator: ", ") + "]"
        default: return scalarText ?? ""
        }
    }

    /// Value equality, ignoring locations and tags.
    public func sameValue(as other: Node) -> Bool {
        switch (value, other.value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            guard a.count == b.count else { return false }
            for (key, node) in a {
                guard let other = b[key], node.sameValue(as: other) else { return false }
            }
            return true
        default: return false
        }
    }
}

/// An ordered mapping from string keys to nodes, which also remembers where each key was
/// written (so that "unknown key" errors point at the key, not at its value).
public struct Mapping: Sendable, Sequence {
    fileprivate struct Entry: Sendable {
        var value: Node
        var keyLocation: SourceLocation?
    }

    private var entries: OrderedDictionary<String, Entry> = [:]

    public init() {}

    public init(_ pairs: [(String, Node)]) {
        for (key, node) in pairs { self[key] = node }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { Array(entries.keys) }
    public var values: [Node] { entries.values.map(\.value) }

    public subscript(key: String) -> Node? {
        get { entries[key]?.value }
        set {
            guard let newValue else {
                entries.removeValue(forKey: key)
                return
            }
            if let i = entries.index(forKey: key) {
                entries.values[i].value = newValue
            } else {
                entries[key] = Entry(value: newValue)
            }
        }
    }

    /// Sets a value and records where its key was written; true when the key was there.
    @discardableResult
    public mutating func set(_ key: String, _ node: Node, keyAt location: SourceLocation) -> Bool {
        entries.updateValue(Entry(value: node, keyLocation: location), forKey: key) != nil
    }

    /// Where the key was written, or where its value was when the key has no mark.
    public func location(ofKey key: String) -> SourceLocation? {
        guard let entry = entries[key] else { return nil }
        return entry.keyLocation ?? entry.value.location
    }

    public mutating func removeValue(forKey key: String) {
        entries.removeValue(forKey: key)
    }

    /// Replaces every value in place, keeping keys, order and key locations.
    public mutating func transformValues<E: Error>(_ body: (String, Node) throws(E) -> Node) throws(E) {
        for i in entries.values.indices {
            let key = entries.keys[i]
            entries.values[i].value = try body(key, entries.values[i].value)
        }
    }

    /// Sorts the entries by key.
    public mutating func sortKeys() {
        entries.sort { $0.key < $1.key }
    }

    public struct Iterator: IteratorProtocol {
        fileprivate var base: OrderedDictionary<String, Entry>.Iterator

        public mutating func next() -> (key: String, value: Node)? {
            base.next().map { (key: $0.key, value: $0.value.value) }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(base: entries.makeIterator())
    }
}
