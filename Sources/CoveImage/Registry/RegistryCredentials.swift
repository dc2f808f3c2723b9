import Foundation

/// What a client proves its identity to a registry with: a user name and a password (or a personal
/// access token used as one). Identity tokens (OAuth2 refresh tokens some registries issue at
/// login) are not supported yet.
public struct RegistryCredentials: Hashable, Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// True when there is nothing to send.
    public var isEmpty: Bool { username.isEmpty && password.isEmpty }

    /// The `Authorization` value of HTTP Basic authentication with these credentials.
    public var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
