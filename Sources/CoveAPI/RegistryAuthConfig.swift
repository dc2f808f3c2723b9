import CoveCore
import Foundation

/// Registry credentials as Docker's API carries them (`types.AuthConfig`): the JSON body of
/// `POST /auth`, and base64url-encoded JSON in the `X-Registry-Auth` header of pull and push.
public struct RegistryAuthConfig: Codable, Sendable, Equatable {
    public var username: String?
    public var password: String?
    /// `base64(username:password)`, which some clients send instead of the two fields.
    public var auth: String?
    public var email: String?
    public var serverAddress: String?
    public var identityToken: String?
    public var registryToken: String?

    public init(
        username: String? = nil, password: String? = nil, auth: String? = nil, serverAddress: String? = nil,
        identityToken: String? = nil
    ) {
        self.username = username
        self.password = password
        self.auth = auth
        self.serverAddress = serverAddress
        self.identityToken = identityToken
    }

    enum CodingKeys: String, CodingKey {
        case username, password, auth, email
        case serverAddress = "serveraddress"
        case identityToken = "identitytoken"
        case registryToken = "registrytoken"
    }

    /// The user name and password, from the fields or from `auth` when they are empty.
    public var resolved: (username: String, password: String) {
        let username = self.username ?? ""
        let password = self.password ?? ""
        if username.isEmpty, password.isEmpty, let auth, let data = Self.base64Decode(auth),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        {
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        return (username, password)
    }

    /// The `X-Registry-Auth` value: base64url of the JSON, with padding, as the docker CLI sends it.
    public func headerValue() throws(CoveError) -> String {
        let data: Data
        do {
            data = try JSONEncoder().encode(self)
        } catch {
            throw CoveError(.internalError, "cannot encode registry credentials", cause: "\(error)")
        }
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// Decodes an `X-Registry-Auth` value: base64url or standard base64, padded or not, of the JSON.
    /// An empty value, or `{}`, means no credentials (nil).
    public static func decodeHeader(_ value: String) throws(CoveError) -> RegistryAuthConfig? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let data = base64Decode(trimmed) else {
            throw CoveError(.invalidInput, "invalid X-Registry-Auth header: not base64")
        }
        let config: RegistryAuthConfig
        do {
            config = try JSONDecoder().decode(RegistryAuthConfig.self, from: data)
        } catch {
            throw CoveError(.invalidInput, "invalid X-Registry-Auth header: not a JSON auth config")
        }
        return config.isEmpty ? nil : config
    }

    /// True when the config carries no credentials.
    public var isEmpty: Bool {
        let (username, password) = resolved
        return username.isEmpty && password.isEmpty && (identityToken ?? "").isEmpty && (registryToken ?? "").isEmpty
    }

    /// Base64 in either alphabet, with or without padding.
    static func base64Decode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = standard.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { standard += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: standard)
    }
}
