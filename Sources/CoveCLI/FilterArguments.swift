import CoveCore
import Foundation

/// `--filter name=value` flags as the API's `filters` query parameter: `{"label":{"a=b":true}}`.
enum FilterArguments {
    /// The JSON of `items`; an item without `=` is refused with the docker CLI's words.
    static func json(_ items: [String]) throws(CoveError) -> String {
        var filters: [String: [String: Bool]] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "=") else {
                throw CoveError(.invalidInput, "bad format of filter (expected name=value): \(item)")
            }
            filters[String(item[..<equals]), default: [:]][String(item[item.index(after: equals)...])] = true
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(filters), as: UTF8.self)
        } catch {
            throw CoveError(.internalError, "cannot encode the filters", cause: "\(error)")
        }
    }
}
