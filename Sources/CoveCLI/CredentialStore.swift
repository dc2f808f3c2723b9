import CoveAPI
import CoveCore
import CoveImage
import CoveLinux
import Foundation

/// Registry credentials saved by `cove login`, in Docker's `config.json` format
/// (`{"auths": {"127.0.0.1:5000": {"auth": "<base64 user:password>"}}}`), in a file of mode 0600:
/// `$COVE_CONFIG/config.json`, else `~/.config/cove/config.json`. Other keys in the file are kept.
struct CredentialStore {
    /// The file.
    let path: String
    /// Docker Hub's key in `auths`, as the docker CLI writes it.
    static let dockerHubKey = "https://index.docker.io/v1/"

    /// The store the environment chooses.
    static func chosen(environment: [String: String] = ProcessInfo.processInfo.environment) -> CredentialStore {
        if let directory = environment["COVE_CONFIG"], !directory.isEmpty {
            return CredentialStore(path: directory + "/config.json")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return CredentialStore(path: home + "/.config/cove/config.json")
    }

    /// The key of a registry domain in `auths`.
    static func key(for domain: String) -> String {
        domain == ImageReference.defaultDomain ? dockerHubKey : domain
    }

    /// The saved credentials for a registry domain, if any.
    func credentials(for domain: String) throws(CoveError) -> RegistryAuthConfig? {
        let auths = try read()["auths"] as? [String: Any] ?? [:]
        let key = Self.key(for: domain)
        let entry = auths[key] ?? auths["http://" + key] ?? auths["https://" + key]
        guard let fields = entry as? [String: Any] else { return nil }
        var config = RegistryAuthConfig(
            username: fields["username"] as? String, password: fields["password"] as? String,
            auth: fields["auth"] as? String, serverAddress: key, identityToken: fields["identitytoken"] as? String)
        let (username, password) = config.resolved
        config.username = username
        config.password = password
        config.auth = nil
        return config.isEmpty ? nil : config
    }

    /// Saves credentials for a registry domain.
    func save(username: String, password: String, for domain: String) throws(CoveError) {
        var document = try read()
        var auths = document["auths"] as? [String: Any] ?? [:]
        auths[Self.key(for: domain)] = ["auth": Data("\(username):\(password)".utf8).base64EncodedString()]
        document["auths"] = auths
        try write(document)
    }

    /// Forgets the credentials of a registry domain; false when there were none.
    @discardableResult
    func remove(for domain: String) throws(CoveError) -> Bool {
        var document = try read()
        var auths = document["auths"] as? [String: Any] ?? [:]
        let key = Self.key(for: domain)
        let keys = [key, "http://" + key, "https://" + key].filter { auths[$0] != nil }
        guard !keys.isEmpty else { return false }
        for key in keys { auths[key] = nil }
        document["auths"] = auths
        try write(document)
        return true
    }

    private func read() throws(CoveError) -> [String: Any] {
        guard let bytes = try AtomicFile.read(path, limit: 4 << 20), !bytes.isEmpty else { return [:] }
        guard let document = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw CoveError(.invalidInput, "\(path) is not a JSON object; fix or remove it")
        }
        return document
    }

    private func write(_ document: [String: Any]) throws(CoveError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try Directory.create(directory, mode: 0o700) }
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw CoveError(.internalError, "cannot encode \(path)", cause: "\(error)")
        }
        try AtomicFile.write(Array(data) + [0x0A], to: path, mode: 0o600)
    }
}
