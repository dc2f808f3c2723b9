import CoveAPI
import CoveCore

/// The `filters` of `GET /events`, matched as Docker matches them: values of one key are
/// alternatives, keys must all match; `container` and `volume` match the id or name by prefix,
/// `image` the id, reference or name with or without tag, `label` an attribute (`key` or
/// `key=value`), `event` the action (or its part before `:`).
struct EventFilter: Sendable {
    static let keys: Set<String> = ["container", "event", "image", "label", "type", "volume", "scope"]

    let filters: [String: [String]]

    /// `invalidInput` for a key Cove does not filter on.
    init(_ filters: [String: [String]]) throws(CoveError) {
        for key in filters.keys where !Self.keys.contains(key) {
            throw CoveError(.invalidInput, "invalid filter '\(key)'")
        }
        self.filters = filters
    }

    func includes(_ event: EventMessage) -> Bool {
        matchesEvent(event.action) && exact("type", event.type) && exact("scope", event.scope)
            && fuzzyName(event, type: "container") && fuzzyName(event, type: "volume") && matchesImage(event)
            && matchesLabels(event.actor.attributes)
    }

    private func exact(_ key: String, _ value: String) -> Bool {
        guard let values = filters[key] else { return true }
        return values.contains(value)
    }

    /// Docker's `FuzzyMatch`: equal, or the value starts with a filter.
    private func fuzzy(_ key: String, _ value: String) -> Bool {
        guard let values = filters[key] else { return true }
        return values.contains { value == $0 || (!$0.isEmpty && value.hasPrefix($0)) }
    }

    private func fuzzyName(_ event: EventMessage, type: String) -> Bool {
        fuzzy(type, event.actor.id) || fuzzy(type, event.actor.attributes["name"] ?? "")
    }

    private func matchesEvent(_ action: String) -> Bool {
        guard let values = filters["event"] else { return true }
        let base = action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? action
        return values.contains(action) || values.contains(base)
    }

    private func matchesImage(_ event: EventMessage) -> Bool {
        let name = event.actor.attributes[event.type == "image" ? "name" : "image"] ?? ""
        let candidates = [event.actor.id, name, Self.stripTag(event.actor.id), Self.stripTag(name)]
        return candidates.contains { exact("image", $0) }
    }

    private func matchesLabels(_ attributes: [String: String]) -> Bool {
        guard let values = filters["label"] else { return true }
        return values.allSatisfy { filter in
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = parts.first, let value = attributes[key] else { return false }
            return parts.count == 1 || parts[1] == value
        }
    }

    /// `busybox:latest` → `busybox`; a registry's port is kept.
    static func stripTag(_ reference: String) -> String {
        if let at = reference.firstIndex(of: "@") { return String(reference[..<at]) }
        guard let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") else { return reference }
        return String(reference[..<colon])
    }
}
