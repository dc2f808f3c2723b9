import CoveAPI
import CoveCore
import CoveImage
import Foundation

extension ImageRoutes {
    /// What `POST /auth` answers on success.
    struct AuthAnswer: Encodable {
        var status = "Login Succeeded"
        var identityToken = ""

        enum CodingKeys: String, CodingKey {
            case status = "Status"
            case identityToken = "IdentityToken"
        }
    }

    /// `POST /auth` (`docker login`): checks the credentials against the registry the body's
    /// `serveraddress` names; 401 with the registry's words when they are refused.
    func authenticate(_ context: RouteContext) async -> APIResponse {
        do {
            let config: RegistryAuthConfig
            do {
                config = try JSONDecoder().decode(RegistryAuthConfig.self, from: Data(context.request.body))
            } catch {
                throw CoveError(.invalidInput, "invalid /auth body: expected a JSON auth config", cause: "\(error)")
            }
            let domain = try Self.registryDomain(config.serverAddress ?? "")
            let host = try RegistryHost.resolve(domain, insecure: registries.insecure)
            let client = RegistryClient(
                host: host, credentials: RegistryAccess.credentials(config), insecure: registries.insecure)
            try await client.checkLogin()
            return .json(AuthAnswer())
        } catch let error as CoveError {
            return Self.errorResponse(error)
        } catch {
            return Self.errorResponse(CoveError(.internalError, "login failed", cause: "\(error)"))
        }
    }

    /// The registry domain of a login's server address: `127.0.0.1:5000`, `http://host:5000/v2/`,
    /// or Docker Hub's `https://index.docker.io/v1/` (and nothing) for `docker.io`.
    static func registryDomain(_ address: String) throws(CoveError) -> String {
        var text = Substring(address.trimmingCharacters(in: .whitespaces))
        for scheme in ["http://", "https://"] where text.lowercased().hasPrefix(scheme) {
            text = text.dropFirst(scheme.count)
        }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        if text.isEmpty || text == ImageReference.legacyDefaultDomain || text == "registry-1.docker.io" {
            return ImageReference.defaultDomain
        }
        guard !text.contains(where: { $0.isWhitespace || $0 == "@" }) else {
            throw CoveError(.invalidInput, "invalid registry address \(String(reflecting: address))")
        }
        return String(text)
    }
}
