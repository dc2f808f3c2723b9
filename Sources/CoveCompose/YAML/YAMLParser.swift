import CCoveYAML
import CoveCore

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
    public static func parse(_ text: String, file path: String, sawMergeTags: inout Bool) throws(CoveError) -> Node {
        if let tab = firstIndentingTab(in: text) {
            throw CoveError.invalid(
                "tabs are not allowed for indentation in YAML; use spaces",
                at: SourceLocation(file: path, line: tab.line, column: tab.column))
        }
        let file = SourceLocation.intern(path)
        let events = try YAMLEvents(text)
        let composer = ComposerCheck(events: events, file: file)
        if Int(events.error.kind) != COVE_YAML_OK {
            // Yams met the composer's errors as it went, before a later syntax error.
            throw composer.firstError(in: 0..<events.count) ?? convert(events, file: path, text: text)
        }
        // libyaml's events: document start, the root node, document end (then maybe more).
        guard events.count >= 3, events.kind(0) == .documentStart else {
            throw CoveError.invalid("empty compose file", at: SourceLocation(fileID: file))
        }
        let index = EventIndex(events, range: 1..<events.count)
        let rootEnd = index.next(1)
        let hasSecond = rootEnd + 2 < events.count
        if index.undefinedAlias != nil || hasSecond {
            if let error = composer.firstError(in: 0..<events.count) { throw error }
        }
        if hasSecond {
            let second = events.events[index.resolve(min(rootEnd + 3, events.count - 1))]
            throw CoveError.invalid(
                "a compose file holds one YAML document; found a second one",
                at: SourceLocation(fileID: file, line: Int(second.line), column: Int(second.column)))
        }
        var builder = TreeBuilder(events: events, index: index, file: file, parallel: true)
        var tree: Node
        do {
            tree = try builder.build(1)
        } catch {
            if let error = composer.firstError(in: 0..<events.count) { throw error }
            // The parallel build's errors are not final: a sequential build finds the first.
            builder = TreeBuilder(events: events, index: index, file: file, parallel: false)
            tree = try builder.build(1)
        }
        if builder.sawSameKey, let error = composer.firstError(in: 0..<events.count) { throw error }
        if builder.sawMergeTag { sawMergeTags = true }
        return tree
    }

    /// Finds a tab used as indentation (libyaml's own message for it is obscure).
    static func firstIndentingTab(in text: String) -> (line: Int, column: Int)? {
        guard YAMLEvents.contains(text, "\t") else { return nil }
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

    /// The error libyaml stopped at, in words.
    static func convert(_ events: YAMLEvents, file: String, text: String) -> CoveError {
        let error = events.error
        let problem = events.string(error.problem, error.problem_length) ?? "unknown error"
        switch Int(error.kind) {
        case COVE_YAML_SCANNER_ERROR, COVE_YAML_PARSER_ERROR:
            var message =
                "invalid YAML: \(problem.hasPrefix("Maximum nesting level") ? "nesting deeper than 1000 levels" : problem)"
            if let context = events.string(error.context, error.context_length) {
                message += " (\(context) at line \(error.context_line))"
            }
            return CoveError.invalid(
                message,
                at: SourceLocation(file: file, line: Int(error.problem_line), column: Int(error.problem_column)))
        case COVE_YAML_READER_ERROR:
            let (line, column) = position(ofByte: Int(error.problem_offset), in: text)
            return CoveError.invalid(
                "cannot read YAML: \(problem)", at: SourceLocation(file: file, line: line, column: column))
        case COVE_YAML_TOO_LARGE:
            return CoveError.invalid("document too large to parse", at: SourceLocation(file: file))
        default:
            return CoveError(.internalError, "out of memory while parsing YAML", at: SourceLocation(file: file))
        }
    }
}
