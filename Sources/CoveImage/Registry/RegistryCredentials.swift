import Foundation

/// What a client proves its identity to a registry with: a user name and a password (or a personal
/// access token used as one), or an identity token a registry issued at login (sent as an OAuth2
/// refresh token to the token endpoint).
public struct RegistryCredentials: Hashable, Sendable {
    public var username: String
    public var password: String
    public var identityToken: String?

    public init(username: String, password: String, identityToken: String? = nil) {
        self.username = username
        self.password = password
        self.identityToken = identityToken
    }

    /// True when there is something to send.
    public var isEmpty: Bool { username.isEmpty && password.isEmpty && (identityToken ?? "").isEmpty }

    /// The `Authorization` value of HTTP Basic authentication with these credentials.
    public var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
