import CoveCore
import Synchronization

/// Builds the `Node` tree of one document from its events: aliases expanded, merge keys
/// (`<<`) applied, nodes counted against `YAMLParser.maxNodes`, the Compose merge tags kept.
///
/// With `parallel`, the services of a large `services` mapping are built on every core;
/// an error there is not final (the caller builds again sequentially, for the error a
/// sequential build meets first).
struct TreeBuilder: Sendable {
    let events: YAMLEvents
    let index: EventIndex
    let file: SourceLocation.FileID
    let parallel: Bool
    private(set) var visited = 0
    private(set) var sawMergeTag = false
    /// Set when two keys of a mapping have the same text: YAML may still tell them apart
    /// by tag, so `ComposerCheck` decides.
    private(set) var sawSameKey = false
    /// Nodes built by all parallel tasks, to stop an alias bomb early.
    private let budget: Budget?

    final class Budget: Sendable {
        let used = Atomic<Int>(0)
    }

    /// A marker: the parallel build went past `maxNodes`; the sequential one says where.
    struct TooLarge: Error {}

    init(events: YAMLEvents, index: EventIndex, file: SourceLocation.FileID, parallel: Bool) {
        self.events = events
        self.index = index
        self.file = file
        self.parallel = parallel
        self.budget = nil
    }

    private init(task parent: TreeBuilder, budget: Budget) {
        events = parent.events
        index = parent.index
        file = parent.file
        parallel = false
        self.budget = budget
    }

    func location(_ i: Int) -> SourceLocation {
        SourceLocation(fileID: file, line: Int(events.events[i].line), column: Int(events.events[i].column))
    }

    mutating func mergeTag(_ i: Int) -> Node.MergeTag? {
        let e = events.events[i]
        guard e.tag >= 0, events.bytes[Int(e.tag)] == UInt8(ascii: "!"), let name = events.tag(i),
            let tag = Node.MergeTag(rawValue: name)
        else { return nil }
        sawMergeTag = true
        return tag
    }

    private mutating func count(_ i: Int) throws(CoveError) {
        visited += 1
        if let budget, visited & 1023 == 0 {
            if budget.used.add(1024, ordering: .relaxed).newValue > YAMLParser.maxNodes {
                throw CoveError.invalid("document too large", at: location(i))
            }
        }
        if visited > YAMLParser.maxNodes {
            throw CoveError.invalid(
                "document too large: more than \(YAMLParser.maxNodes) values after expanding aliases",
                at: location(i))
        }
    }

    /// The node whose first event is `start` (an alias: the node it names).
    mutating func build(_ start: Int) throws(CoveError) -> Node {
        let i = index.resolve(start)
        try count(i)
        switch events.kind(i) {
        case .scalar:
            let text = events.text(i)
            let plain = events.isPlain(i)
            let value = plain ? ScalarResolver.resolve(text) : .string(text)
            guard events.events[i].tag >= 0 else { return Node(value, at: location(i)) }
            let tag = mergeTag(i)
            // An explicit `!!str` keeps a plain scalar a string.
            if plain, events.tag(i) == "tag:yaml.org,2002:str" { return Node(.string(text), at: location(i)) }
            return Node(tag == nil ? value : (text.isEmpty ? .null : value), at: location(i), tag: tag)
        case .sequenceStart:
            var items: [Node] = []
            var j = i + 1
            while events.kind(j) != .sequenceEnd {
                items.append(try build(j))
                j = index.next(j)
            }
            return Node(.sequence(items), at: location(i), tag: mergeTag(i))
        case .mappingStart:
            return try buildMapping(i)
        default:
            throw CoveError.invalid("unexpected YAML event", at: location(i))
        }
    }

    /// The (key, value) event pairs of the mapping starting at `i`.
    func pairs(_ i: Int) -> [(key: Int, value: Int)] {
        var pairs: [(key: Int, value: Int)] = []
        var j = i + 1
        while events.kind(j) != .mappingEnd {
            let value = index.next(j)
            pairs.append((j, value))
            j = index.next(value)
        }
        return pairs
    }

    /// The key text of a pair, after the checks every key gets.
    func key(_ start: Int) throws(CoveError) -> String {
        let k = index.resolve(start)
        guard events.kind(k) == .scalar else {
            throw CoveError.invalid("mapping keys must be strings, not \(describe(k))", at: location(k))
        }
        let key = events.text(k)
        if events.isPlain(k), key.isEmpty || key == "~" {
            throw CoveError.invalid("mapping keys must be strings, not null", at: location(k))
        }
        return key
    }

    mutating func buildMapping(_ i: Int) throws(CoveError) -> Node {
        let pairs = pairs(i)
        var result = Mapping(minimumCapacity: pairs.count)
        var merged: [Mapping] = []
        var sawMergeKey = false
        for (keyEvent, valueEvent) in pairs {
            let k = index.resolve(keyEvent)
            if events.isMergeKey(k) {
                if sawMergeKey { sawSameKey = true }
                sawMergeKey = true
                merged.append(contentsOf: try mergeSources(valueEvent))
                continue
            }
            let key = try self.key(keyEvent)
            let node: Node
            if parallel, key == "services", events.kind(index.resolve(valueEvent)) == .mappingStart {
                node = try buildServices(index.resolve(valueEvent))
            } else {
                node = try build(valueEvent)
            }
            if result.set(key, node, keyAt: location(k)) { sawSameKey = true }
        }
        // Explicit keys win over merged ones; among merged mappings the first one wins.
        for source in merged {
            for (key, value) in source where result[key] == nil {
                result.set(key, value, keyAt: source.location(ofKey: key) ?? value.location)
            }
        }
        return Node(.mapping(result), at: location(i), tag: mergeTag(i))
    }

    /// A large `services` mapping, its entries built in parallel (smaller ones, or ones
    /// with merge keys, as any mapping).
    private mutating func buildServices(_ i: Int) throws(CoveError) -> Node {
        let pairs = pairs(i)
        guard pairs.count >= Parallel.minimumItems, !pairs.contains(where: { events.isMergeKey(index.resolve($0.key)) })
        else {
            try count(i)
            return try buildMapping(i)
        }
        try count(i)
        let budget = Budget()
        budget.used.store(visited, ordering: .relaxed)
        let parent = self
        let built = Parallel.map(pairs) { pair -> Result<(Node, Int, Bool, Bool), CoveError> in
            var task = TreeBuilder(task: parent, budget: budget)
            do throws(CoveError) {
                let node = try task.build(pair.value)
                return .success((node, task.visited, task.sawMergeTag, task.sawSameKey))
            } catch {
                return .failure(error)
            }
        }
        var result = Mapping(minimumCapacity: pairs.count)
        for (pair, outcome) in zip(pairs, built) {
            let key = try self.key(pair.key)
            let (node, visited, sawMergeTag, sawSameKey) = try outcome.get()
            self.visited += visited
            if self.visited > YAMLParser.maxNodes { throw CoveError.invalid("document too large", at: location(i)) }
            if sawMergeTag { self.sawMergeTag = true }
            if sawSameKey { self.sawSameKey = true }
            if result.set(key, node, keyAt: location(index.resolve(pair.key))) { self.sawSameKey = true }
        }
        return Node(.mapping(result), at: location(i), tag: mergeTag(i))
    }

    /// The mappings a `<<` key merges: one mapping, or a list of them.
    mutating func mergeSources(_ start: Int) throws(CoveError) -> [Mapping] {
        let v = index.resolve(start)
        switch events.kind(v) {
        case .mappingStart:
            guard case .mapping(let built) = try buildMapping(v).value else { return [] }
            return [built]
        case .sequenceStart:
            var result: [Mapping] = []
            var j = v + 1
            while events.kind(j) != .sequenceEnd {
                let item = index.resolve(j)
                guard events.kind(item) == .mappingStart, case .mapping(let built) = try buildMapping(item).value
                else {
                    throw CoveError.invalid(
                        "a merge key (<<) takes a mapping or a list of mappings, not \(describe(item))",
                        at: location(item))
                }
                result.append(built)
                j = index.next(j)
            }
            return result
        default:
            throw CoveError.invalid(
                "a merge key (<<) takes a mapping or a list of mappings, not \(describe(v))", at: location(v))
        }
    }

    func describe(_ i: Int) -> String {
        switch events.kind(i) {
        case .mappingStart: return "a mapping"
        case .sequenceStart: return "a list"
        case .alias: return "an alias"
        default: return "a scalar"
        }
    }
}
