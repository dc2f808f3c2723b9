import CoveCore

/// The list-or-mapping fields of a service (`environment`, `labels`, `sysctls`, build
/// `args`, …) and the string-or-list ones (`dns`, `tmpfs`), in their long form.
enum ListSyntax {
    /// How a `KEY` without `=` in list form is stored.
    enum MissingValue {
        /// As null: resolved from the environment later (`environment`, build `args`).
        case null
        /// As an empty string (`labels`).
        case empty
    }

    /// `["A=1", "B"]` or `{A: 1, B: null}` → a mapping of strings (or null).
    static func keyValueMapping(_ node: Node, missing: MissingValue, field: String) throws(CoveError) -> Node {
        var out = Mapping(minimumCapacity: node.sequence?.count ?? node.mapping?.count ?? 0)
        switch node.value {
        case .sequence(let items):
            for item in items {
                guard let text = item.scalarText else {
                    throw CoveError.invalid(
                        "\(field): each item must be a \"KEY=VALUE\" string, not \(item.kindName)", at: item.location)
                }
                if let eq = text.firstIndex(of: "=") {
                    out.set(
                        String(text[..<eq]), .string(String(text[text.index(after: eq)...]), at: item.location),
                        keyAt: item.location)
                } else {
                    out.set(
                        text, missing == .null ? Node(.null, at: item.location) : .string("", at: item.location),
                        keyAt: item.location)
                }
            }
        case .mapping(let m):
            for (key, value) in m {
                let keyAt = m.location(ofKey: key) ?? value.location
                switch value.value {
                case .null:
                    out.set(key, missing == .null ? value : Node(.string(""), at: value.location), keyAt: keyAt)
                case .mapping, .sequence:
                    throw CoveError.invalid(
                        "\(field).\(key) must be a string, a number or a boolean, not \(value.kindName)",
                        at: value.location)
                default:
                    out.set(key, Node(.string(value.scalarText ?? ""), at: value.location), keyAt: keyAt)
                }
            }
        case .null:
            break
        default:
            throw CoveError.invalid("\(field) must be a list or a mapping, not \(node.kindName)", at: node.location)
        }
        return Node(.mapping(out), at: node.location, tag: node.mergeTag)
    }

    /// A string becomes a one-item list; a list stays.
    static func stringOrList(_ node: Node) -> Node {
        guard case .string = node.value else { return node }
        return Node(.sequence([Node(node.value, at: node.location)]), at: node.location, tag: node.mergeTag)
    }

    /// `[a, b]` → `{a: null, b: null}`; a mapping stays (service `networks`).
    static func namesToMapping(_ node: Node) -> Node {
        guard case .sequence(let items) = node.value else { return node }
        var out = Mapping(minimumCapacity: items.count)
        for item in items {
            if let name = item.scalarText { out.set(name, Node(.null, at: item.location), keyAt: item.location) }
        }
        return Node(.mapping(out), at: node.location, tag: node.mergeTag)
    }

    /// `extra_hosts` in list (`host:ip`, `host=ip`) or mapping form → host → list of addresses.
    static func extraHosts(_ node: Node) throws(CoveError) -> Node {
        var out = Mapping()
        func add(_ host: String, _ ip: String, _ at: SourceLocation) {
            var list = out[host]?.sequence ?? []
            list.append(.string(ip, at: at))
            out.set(host, .sequence(list, at: at), keyAt: at)
        }
        switch node.value {
        case .sequence(let items):
            for item in items {
                guard let text = item.string else {
                    throw CoveError.invalid(
                        "extra_hosts: each item must be a \"host=address\" string", at: item.location)
                }
                let separator = text.firstIndex(of: "=") ?? text.firstIndex(of: ":")
                guard let separator else {
                    throw CoveError.invalid(
                        "extra_hosts: \"\(text)\" must be \"host=address\" or \"host:address\"", at: item.location)
                }
                var ip = String(text[text.index(after: separator)...])
                if ip.hasPrefix("["), ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
                add(String(text[..<separator]), ip, item.location)
            }
        case .mapping(let m):
            for (host, value) in m {
                if let list = value.sequence {
                    for ip in list { add(host, ip.scalarText ?? "", ip.location) }
                } else {
                    add(host, value.scalarText ?? "", value.location)
                }
            }
        default:
            throw CoveError.invalid("extra_hosts must be a list or a mapping, not \(node.kindName)", at: node.location)
        }
        return Node(.mapping(out), at: node.location, tag: node.mergeTag)
    }
}
