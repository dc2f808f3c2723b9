import CoveCore
import Foundation

/// Decoding and encoding of OCI JSON documents with clear errors.
///
/// Unknown fields are ignored; a missing required field, a wrong type or an invalid value becomes
/// one `CoveError` naming the document and the field's path (`invalid image manifest: missing
/// required field "digest" at layers[1]`).
public enum OCIJSON {
    /// Decodes `data` as `type`; `document` names it in errors ("image manifest", "image config").
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, document: String) throws(CoveError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil {
                throw CoveError(.invalidInput, "invalid \(document): not valid JSON")
            }
            throw CoveError(.invalidInput, "invalid \(document): \(describe(error))")
        } catch {
            throw CoveError(.invalidInput, "invalid \(document): \(error)")
        }
    }

    /// Encodes `value` as compact JSON with sorted keys and unescaped slashes, the form stored blobs use.
    public static func encode<T: Encodable>(_ value: T) throws(CoveError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw CoveError(.internalError, "cannot encode JSON", cause: "\(error)")
        }
    }

    /// One line saying what is wrong and where.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing required field \(String(reflecting: key.stringValue))" + at(context.codingPath)
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)) is null, expected \(typeName(type))"
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)) has the wrong type, expected \(typeName(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return context.debugDescription }
            return "\(field(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `layers[1].digest`
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func at(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "" : " at \(path(codingPath))"
    }

    private static func field(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the document" : "field \(path(codingPath))"
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
    }
}

/// A manifest document fetched by reference: a single-platform manifest or a multi-platform index.
public enum ManifestContent: Hashable, Sendable {
    case manifest(ImageManifest)
    case index(ImageIndex)

    /// Decodes a manifest or index. The media type comes from `mediaType` (a registry's
    /// `Content-Type`) when given, else from the document's own `mediaType` field, else from its shape
    /// (`manifests` makes an index, `config` a manifest).
    public static func decode(_ data: Data, mediaType: String? = nil) throws(CoveError) -> ManifestContent {
        let peek = try OCIJSON.decode(Peek.self, from: data, document: "manifest")
        let given = mediaType.map(Self.stripParameters) ?? ""
        let type = Self.isKnown(given) ? given : (peek.kind ?? "")
        if type == MediaType.dockerManifestSchema1 || type == MediaType.dockerManifestSchema1Signed {
            throw CoveError(.invalidInput, "Docker image manifest schema 1 is not supported; push the image again")
        }
        if MediaType.isIndex(type) {
            return .index(try OCIJSON.decode(ImageIndex.self, from: data, document: "image index"))
        }
        if MediaType.isManifest(type) {
            return .manifest(try OCIJSON.decode(ImageManifest.self, from: data, document: "image manifest"))
        }
        throw CoveError(
            .invalidInput,
            type.isEmpty
                ? "not an image manifest or index: no media type, and neither \"manifests\" nor \"config\""
                : "unsupported manifest media type \(String(reflecting: type))")
    }

    /// The fields that tell what kind of document this is.
    private struct Peek: Decodable {
        var mediaType: String?
        var schemaVersion: Int?
        var manifests: [Ignored]?
        var config: Ignored?

        /// The declared media type, else one guessed from the shape.
        var kind: String? {
            if schemaVersion == 1 { return MediaType.dockerManifestSchema1 }
            if let mediaType { return mediaType }
            if manifests != nil { return MediaType.ociIndex }
            if config != nil { return MediaType.ociManifest }
            return nil
        }
    }

    private struct Ignored: Decodable {}

    private static func isKnown(_ type: String) -> Bool {
        MediaType.isIndex(type) || MediaType.isManifest(type) || type == MediaType.dockerManifestSchema1
            || type == MediaType.dockerManifestSchema1Signed
    }

    /// `application/json; charset=utf-8` → `application/json`.
    private static func stripParameters(_ type: String) -> String {
        String(type.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
    }
}
