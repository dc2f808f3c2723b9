import Foundation

/// The error document of the distribution API: `{"errors": [{"code": "MANIFEST_UNKNOWN",
/// "message": "manifest unknown", "detail": …}]}`.
struct RegistryErrorBody: Decodable {
    struct Entry: Decodable {
        var code: String?
        var message: String?
    }

    var errors: [Entry]?

    /// The errors in a body as Docker words them (`manifest unknown: manifest unknown`), joined;
    /// nil when the body is not such a document or lists none.
    static func message(_ body: [UInt8]) -> String? {
        guard let document = try? JSONDecoder().decode(RegistryErrorBody.self, from: Data(body)),
            let errors = document.errors, !errors.isEmpty
        else { return nil }
        return errors.map { entry in
            let code = (entry.code ?? "unknown").lowercased().replacingOccurrences(of: "_", with: " ")
            guard let message = entry.message, !message.isEmpty else { return code }
            return "\(code): \(message)"
        }.joined(separator: "; ")
    }
}
