import CoveCore

/// The checks Yams's composer made while it built its tree, in the order it made them:
/// an alias naming no anchor, and a mapping with the same key twice (same text and same
/// tag, the error naming the duplicated keys in sorted order at the first one). Run only
/// when something may be wrong, so that the error reported is the one Yams reported first.
struct ComposerCheck {
    let events: YAMLEvents
    let file: SourceLocation.FileID

    private struct Key {
        let text: String
        let tag: String
        let event: Int
    }

    private struct Frame {
        let start: Int
        var isMapping: Bool
        var keys: [Key] = []
        var expectingKey = true
    }

    /// The first composer error among the events in `range`, if any.
    func firstError(in range: Range<Int>) -> CoveError? {
        var anchors: [String: Int] = [:]
        var stack: [Frame] = []
        for i in range {
            let e = events.events[i]
            var node: Int?
            switch events.kind(i) {
            case .scalar:
                if let anchor = events.string(e.anchor, e.anchor_length) { anchors[anchor] = i }
                node = i
            case .alias:
                guard let name = events.string(e.text, e.text_length), let target = anchors[name] else {
                    return CoveError.invalid("invalid YAML: found undefined alias", at: location(i))
                }
                node = target
            case .sequenceStart, .mappingStart:
                stack.append(Frame(start: i, isMapping: events.kind(i) == .mappingStart))
            case .sequenceEnd, .mappingEnd:
                guard let frame = stack.popLast() else { continue }
                if frame.isMapping, let error = duplicates(frame.keys) { return error }
                let s = events.events[frame.start]
                if let anchor = events.string(s.anchor, s.anchor_length) { anchors[anchor] = frame.start }
                node = frame.start
            default:
                continue
            }
            // A complete node: a key or a value of the enclosing mapping.
            guard let node, var parent = stack.popLast() else { continue }
            if parent.isMapping {
                if parent.expectingKey, events.kind(node) == .scalar {
                    let tag = events.tag(node).flatMap { $0 == "!" ? nil : $0 } ?? "tag:yaml.org,2002:str"
                    parent.keys.append(Key(text: events.text(node), tag: tag, event: node))
                }
                parent.expectingKey.toggle()
            }
            stack.append(parent)
        }
        return nil
    }

    private func duplicates(_ keys: [Key]) -> CoveError? {
        var groups: [String: [Key]] = [:]
        for key in keys { groups[key.tag + "\u{0}" + key.text, default: []].append(key) }
        let repeated = groups.values.filter { $0.count > 1 }.map { $0[0] }.sorted { $0.text < $1.text }
        guard let first = repeated.first else { return nil }
        let names = repeated.map { "\"\($0.text)\"" }.joined(separator: ", ")
        return CoveError.invalid("duplicate key \(names) in the same mapping", at: location(first.event))
    }

    private func location(_ i: Int) -> SourceLocation {
        SourceLocation(fileID: file, line: Int(events.events[i].line), column: Int(events.events[i].column))
    }
}
