import CoveCore
import Foundation

/// The parameters of a request's query string (`a=1&b=x%20y`), decoded as Go's `url.ParseQuery`
/// does: `+` is a space, percent escapes are decoded, a name may repeat.
public struct QueryParameters: Sendable {
    private var pairs: [(name: String, value: String)]

    public init(_ query: String?) {
        pairs = []
        for part in (query ?? "").split(separator: "&") where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The first value of `name`, or nil.
    public subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `name` as a boolean, as Docker's `httputils.BoolValue`: "", "0", "no", "false", "none" are false.
    public func bool(_ name: String) -> Bool {
        guard let value = self[name]?.lowercased().trimmingCharacters(in: .whitespaces) else { return false }
        return !["", "0", "no", "false", "none"].contains(value)
    }

    /// Docker's `filters` parameter: `{"name": {"value": true}}`, or the older `{"name": ["value"]}`.
    public func filters() throws(CoveError) -> [String: [String]] {
        guard let text = self["filters"], !text.isEmpty else { return [:] }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw CoveError(.invalidInput, "invalid filter: the filters parameter is not JSON", cause: "\(error)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw CoveError(.invalidInput, "invalid filter: the filters parameter is not a JSON object")
        }
        var result: [String: [String]] = [:]
        for (name, values) in dictionary {
            if let map = values as? [String: Any] {
                result[name] = map.filter { ($0.value as? Bool) ?? false }.keys.sorted()
            } else if let list = values as? [String] {
                result[name] = list
            } else {
                throw CoveError(.invalidInput, "invalid filter '\(name)': expected an object or a list of strings")
            }
        }
        return result
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
