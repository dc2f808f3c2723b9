import CoveCore
import Foundation
import Yams

/// Stage 1 of the loader: YAML text → `Node` tree with file:line:col on every value.
///
/// Anchors and aliases are expanded, merge keys (`<<`) applied, duplicate keys rejected,
/// and the Compose tags `!reset` and `!override` kept on the nodes they mark. Plain scalars
/// are typed by the YAML 1.2 core schema as Docker Compose's parser does (`yes` stays a
/// string, `0755` is octal); quoted scalars are always strings.
public enum YAMLParser {
    /// Alias expansion can make a small file enormous ("billion laughs"); past this many
    /// nodes the document is refused.
    public static let maxNodes = 5_000_000

    /// Parses one compose file. An empty document yields an empty mapping only when
    /// `allowEmpty` is set; Compose itself rejects empty files.
    public static func parse(_ text: String, file: String) throws(CoveError) -> Node {
        var sawMergeTags = false
        return try parse(text, file: file, sawMergeTags: &sawMergeTags)
    }

    /// Parses, and sets `sawMergeTags` when a `!reset` or `!override` tag was met (so
    /// that later stages can skip looking for them).
    public static func parse(_ text: String, file: String, sawMergeTags: inout Bool) throws(CoveError) -> Node {
        if let tab = firstIndentingTab(in: text) {
            throw CoveError.invalid(
                "tabs are not allowed for indentation in YAML; use spaces",
                at: SourceLocation(file: file, line: tab.line, column: tab.column))
        }
        let document: Yams.Node?
        let second: Yams.Node?
        do {
            // The basic resolver: scalars are typed here (ScalarResolver), and Yams's regex
            // resolution would only slow down its duplicate-key check. The parser is driven
            // directly because Yams's document sequence swallows parse errors.
            let parser = try Yams.Parser(yaml: text, resolver: .basic)
            document = try parser.nextRoot()
            second = document == nil ? nil : try parser.nextRoot()
        } catch let error as YamlError {
            throw convert(error, file: file, text: text)
        } catch {
            throw CoveError(.invalidInput, "cannot parse YAML", at: SourceLocation(file: file), cause: "\(error)")
        }
        guard let document else {
            throw CoveError.invalid("empty compose file", at: SourceLocation(file: file))
        }
        if let second {
            let mark = second.mark
            throw CoveError.invalid(
                "a compose file holds one YAML document; found a second one",
                at: SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0))
        }
        var builder = TreeBuilder(file: file)
        let tree = try builder.build(document)
        if builder.sawMergeTag { sawMergeTags = true }
        return tree
    }

    /// Finds a tab used as indentation (libyaml's own message for it is obscure).
    static func firstIndentingTab(in text: String) -> (line: Int, column: Int)? {
        guard text.utf8.contains(UInt8(ascii: "\t")) else { return nil }
        var line = 1
        var atLineStart = true
        var column = 1
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
                atLineStart = true
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: "\t") { return (line, column) }
                if byte != UInt8(ascii: " ") { atLineStart = false }
            }
            column += 1
        }
        return nil
    }

    /// Line and column (1-based, in characters) of a byte offset.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        var index = 0
        for byte in text.utf8 {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        let prefix = text.utf8.dropFirst(lineStart).prefix(max(0, offset - lineStart))
        return (line, String(decoding: prefix, as: UTF8.self).count + 1)
    }

    static func convert(_ error: YamlError, file: String, text: String) -> CoveError {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line, column: mark.column)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message =
                "invalid YAML: \(problem.hasPrefix("Maximum nesting level") ? "nesting deeper than 1000 levels" : problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return CoveError.invalid(message, at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return CoveError.invalid(
                "duplicate key \(keys) in the same mapping", at: at(context.mark))
        case .reader(let problem, let offset, _, _):
            guard let offset else {
                return CoveError.invalid("cannot read YAML: \(problem)", at: SourceLocation(file: file))
            }
            let (line, column) = position(ofByte: offset, in: text)
            return CoveError.invalid(
                "cannot read YAML: \(problem)", at: SourceLocation(file: file, line: line, column: column))
        default:
            return CoveError(.invalidInput, "invalid YAML", at: SourceLocation(file: file), cause: "\(error)")
        }
    }
}

/// Converts Yams nodes into `Node`s, expanding merge keys and counting nodes.
private struct TreeBuilder {
    let file: SourceLocation.FileID
    var visited = 0
    var sawMergeTag = false

    init(file: String) { self.file = SourceLocation.intern(file) }

    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(fileID: file) }
        return SourceLocation(fileID: file, line: mark.line, column: mark.column)
    }

    mutating func mergeTag(_ tag: Tag) -> Node.MergeTag? {
        let name = tag.description
        guard name.utf8.first == UInt8(ascii: "!"), let tag = Node.MergeTag(rawValue: name) else { return nil }
        sawMergeTag = true
        return tag
    }

    mutating func build(_ node: Yams.Node) throws(CoveError) -> Node {
        visited += 1
        if visited > YAMLParser.maxNodes {
            throw CoveError.invalid(
                "document too large: more than \(YAMLParser.maxNodes) values after expanding aliases",
                at: location(node.mark))
        }
        switch node {
        case .scalar(let scalar):
            let value = scalar.style == .plain ? ScalarResolver.resolve(scalar.string) : .string(scalar.string)
            let tag = mergeTag(scalar.tag)
            // An explicit `!!str` keeps a plain scalar a string.
            if scalar.tag.description == Tag.Name.str.rawValue, scalar.style == .plain {
                return Node(.string(scalar.string), at: location(scalar.mark))
            }
            return Node(
                tag == nil ? value : (scalar.string.isEmpty ? .null : value), at: location(scalar.mark), tag: tag)
        case .sequence(let sequence):
            var items: [Node] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try build(item)) }
            return Node(.sequence(items), at: location(sequence.mark), tag: mergeTag(sequence.tag))
        case .mapping(let mapping):
            return try buildMapping(mapping)
        case .alias(let alias):
            throw CoveError.invalid("unresolved alias \"\(alias.anchor)\"", at: location(alias.mark))
        }
    }

    mutating func buildMapping(_ mapping: Yams.Node.Mapping) throws(CoveError) -> Node {
        var result = Mapping()
        var merged: [Mapping] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw CoveError.invalid(
                    "mapping keys must be strings, not \(describe(keyNode))", at: location(keyNode.mark))
            }
            let key = keyScalar.string
            if key == "<<", keyScalar.style == .plain {
                merged.append(contentsOf: try mergeSources(valueNode))
                continue
            }
            if keyScalar.style == .plain, case .null = ScalarResolver.resolve(key), key.isEmpty || key == "~" {
                throw CoveError.invalid("mapping keys must be strings, not null", at: location(keyNode.mark))
            }
            result.set(key, try build(valueNode), keyAt: location(keyNode.mark))
        }
        // Explicit keys win over merged ones; among merged mappings the first one wins.
        for source in merged {
            for (key, value) in source where result[key] == nil {
                result.set(key, value, keyAt: source.location(ofKey: key) ?? value.location)
            }
        }
        return Node(.mapping(result), at: location(mapping.mark), tag: mergeTag(mapping.tag))
    }

    /// The mappings a `<<` key merges: one mapping, or a list of them.
    mutating func mergeSources(_ node: Yams.Node) throws(CoveError) -> [Mapping] {
        switch node {
        case .mapping(let m):
            guard case .mapping(let built) = try buildMapping(m).value else { return [] }
            return [built]
        case .sequence(let s):
            var result: [Mapping] = []
            for item in s {
                guard case .mapping(let m) = item, case .mapping(let built) = try buildMapping(m).value else {
                    throw CoveError.invalid(
                        "a merge key (<<) takes a mapping or a list of mappings, not \(describe(item))",
                        at: location(item.mark))
                }
                result.append(built)
            }
            return result
        default:
            throw CoveError.invalid(
                "a merge key (<<) takes a mapping or a list of mappings, not \(describe(node))", at: location(node.mark)
            )
        }
    }

    func describe(_ node: Yams.Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
