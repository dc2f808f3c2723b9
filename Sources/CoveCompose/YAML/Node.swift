import CoveCore

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
///
/// The entries live in one array, in order; a mapping of more than `indexThreshold` keys
/// also keeps a dictionary from key to position. Most mappings of a compose file are small:
/// a lookup is then a scan, as fast as hashing, and copying a mapping (which every stage
/// does) retains one buffer.
public struct Mapping: Sendable, Sequence {
    fileprivate struct Entry: Sendable {
        var key: String
        var value: Node
        var keyLocation: SourceLocation?
    }

    private var entries: [Entry] = []
    /// Positions by key; nil while the mapping is small.
    private var positions: [String: Int]?

    /// Above this many keys, lookups go through `positions`.
    private static let indexThreshold = 16

    public init() {}

    /// An empty mapping with room for `minimumCapacity` keys.
    public init(minimumCapacity: Int) {
        entries.reserveCapacity(minimumCapacity)
    }

    public init(_ pairs: [(String, Node)]) {
        entries.reserveCapacity(pairs.count)
        for (key, node) in pairs { self[key] = node }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    public var values: [Node] { entries.map(\.value) }
    public var underestimatedCount: Int { entries.count }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        for i in entries.indices where entries[i].key == key { return i }
        return nil
    }

    private mutating func append(_ entry: Entry) {
        entries.append(entry)
        if positions != nil {
            positions?[entry.key] = entries.count - 1
        } else if entries.count > Mapping.indexThreshold {
            reindex()
        }
    }

    private mutating func reindex() {
        guard entries.count > Mapping.indexThreshold else {
            positions = nil
            return
        }
        var table = [String: Int](minimumCapacity: entries.count)
        for i in entries.indices { table[entries[i].key] = i }
        positions = table
    }

    public subscript(key: String) -> Node? {
        get {
            guard let i = position(of: key) else { return nil }
            return entries[i].value
        }
        set {
            guard let newValue else {
                removeValue(forKey: key)
                return
            }
            if let i = position(of: key) {
                entries[i].value = newValue
            } else {
                append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Sets a value and records where its key was written; true when the key was there.
    @discardableResult
    public mutating func set(_ key: String, _ node: Node, keyAt location: SourceLocation) -> Bool {
        if let i = position(of: key) {
            entries[i].value = node
            entries[i].keyLocation = location
            return true
        }
        append(Entry(key: key, value: node, keyLocation: location))
        return false
    }

    /// Where the key was written, or where its value was when the key has no mark.
    public func location(ofKey key: String) -> SourceLocation? {
        guard let i = position(of: key) else { return nil }
        return entries[i].keyLocation ?? entries[i].value.location
    }

    public mutating func removeValue(forKey key: String) {
        guard let i = position(of: key) else { return }
        entries.remove(at: i)
        if positions != nil { reindex() }
    }

    /// Replaces every value in place, keeping keys, order and key locations.
    public mutating func transformValues<E: Error>(_ body: (String, Node) throws(E) -> Node) throws(E) {
        for i in entries.indices {
            entries[i].value = try body(entries[i].key, entries[i].value)
        }
    }

    /// Sorts the entries by key.
    public mutating func sortKeys() {
        entries.sort { $0.key < $1.key }
        if positions != nil { reindex() }
    }

    public struct Iterator: IteratorProtocol {
        fileprivate let entries: [Entry]
        fileprivate var position = 0

        public mutating func next() -> (key: String, value: Node)? {
            guard position < entries.count else { return nil }
            defer { position += 1 }
            return (key: entries[position].key, value: entries[position].value)
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(entries: entries)
    }
}
