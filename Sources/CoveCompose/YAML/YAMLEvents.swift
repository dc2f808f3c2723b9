import CCoveYAML
import CoveCore

/// The libyaml events of one YAML stream (read by the CCoveYAML target), as plain values:
/// the events in order and one byte buffer holding their strings.
struct YAMLEvents: Sendable {
    enum Kind: Int32 {
        case scalar = 1, alias, sequenceStart, sequenceEnd, mappingStart, mappingEnd, documentStart, documentEnd
    }

    /// One event; strings are byte ranges in `bytes` (a negative start: absent).
    typealias Event = cove_yaml_event

    let events: [Event]
    let bytes: [UInt8]
    /// Why libyaml stopped, if it did (the events before the error are kept).
    let error: cove_yaml_error

    /// Reads the stream up to the end of its second document: whatever follows a second
    /// document is never looked at (a compose file holds one).
    init(_ text: String) throws(CoveError) {
        guard let document = cove_yaml_parse(text, text.utf8.count) else {
            throw CoveError(.internalError, "out of memory while parsing YAML")
        }
        defer { cove_yaml_free(document) }
        var events = [Event](repeating: Event(), count: cove_yaml_event_count(document))
        var bytes = [UInt8](repeating: 0, count: cove_yaml_byte_count(document))
        cove_yaml_copy_events(document, &events)
        cove_yaml_copy_bytes(document, &bytes)
        var error = cove_yaml_error()
        cove_yaml_get_error(document, &error)
        self.events = events
        self.bytes = bytes
        self.error = error
    }

    /// Whether `text` contains `needle` (a scan in C: whole files are searched).
    static func contains(_ text: String, _ needle: String) -> Bool {
        cove_yaml_contains(text, text.utf8.count, needle, needle.utf8.count) != 0
    }

    var count: Int { events.count }

    func kind(_ index: Int) -> Kind? { Kind(rawValue: events[index].kind) }

    /// A string of the buffer (nil when absent).
    func string(_ start: Int32, _ length: Int32) -> String? {
        guard start >= 0 else { return nil }
        return String(decoding: bytes[Int(start)..<Int(start) + Int(length)], as: UTF8.self)
    }

    /// Whether the event is the plain scalar `<<` (a merge key).
    func isMergeKey(_ index: Int) -> Bool {
        let e = events[index]
        guard e.kind == Kind.scalar.rawValue, e.style == 1, e.text_length == 2 else { return false }
        return bytes[Int(e.text)] == UInt8(ascii: "<") && bytes[Int(e.text) + 1] == UInt8(ascii: "<")
    }

    /// The scalar text of a scalar event.
    func text(_ index: Int) -> String {
        string(events[index].text, events[index].text_length) ?? ""
    }

    func tag(_ index: Int) -> String? {
        string(events[index].tag, events[index].tag_length)
    }

    func isPlain(_ index: Int) -> Bool { events[index].style == 1 }
}
