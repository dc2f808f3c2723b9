import CoveCore

/// The structure of one document's events, found in one pass: where each collection
/// ends, and which node each alias stands for (the latest node with that anchor that was
/// complete when the alias was met, as Yams resolves them).
struct EventIndex: Sendable {
    /// For a collection start event, the index of its end event; for others, their own index.
    let ends: [Int32]
    /// For an alias event, the index of the node it names; for others, their own index.
    let targets: [Int32]
    /// The first alias naming no anchor, if any.
    let undefinedAlias: Int?

    /// Indexes the events in `range` (one document's nodes).
    init(_ events: YAMLEvents, range: Range<Int>) {
        var ends = [Int32](repeating: 0, count: events.count)
        var targets = [Int32](repeating: 0, count: events.count)
        var open: [Int] = []
        var anchors: [String: Int32] = [:]
        var undefined: Int?
        for i in range {
            let e = events.events[i]
            ends[i] = Int32(i)
            targets[i] = Int32(i)
            switch YAMLEvents.Kind(rawValue: e.kind) {
            case .sequenceStart, .mappingStart:
                open.append(i)
            case .sequenceEnd, .mappingEnd:
                guard let start = open.popLast() else { continue }
                ends[start] = Int32(i)
                let s = events.events[start]
                if let anchor = events.string(s.anchor, s.anchor_length) { anchors[anchor] = Int32(start) }
            case .scalar:
                if let anchor = events.string(e.anchor, e.anchor_length) { anchors[anchor] = Int32(i) }
            case .alias:
                if let name = events.string(e.text, e.text_length), let target = anchors[name] {
                    targets[i] = target
                } else if undefined == nil {
                    undefined = i
                }
            default:
                continue
            }
        }
        self.ends = ends
        self.targets = targets
        self.undefinedAlias = undefined
    }

    /// The node an event stands for (an alias's target).
    func resolve(_ index: Int) -> Int { Int(targets[index]) }

    /// The index just past the node starting at `index`.
    func next(_ index: Int) -> Int { Int(ends[index]) + 1 }
}
