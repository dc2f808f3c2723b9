import Crypto

/// The config hash of a service: sha256 over its canonical JSON (sorted keys), leaving
/// out what must not force a recreate (`build`, `pull_policy`, `scale`,
/// `deploy.replicas`, `depends_on`, `profiles`). Stable across runs and key order.
public enum ConfigHash {
    public static let ignoredKeys = ["build", "pull_policy", "scale", "depends_on", "profiles"]

    public static func of(_ service: Node) -> String {
        var m = service.mapping ?? Mapping()
        for key in ignoredKeys { m.removeValue(forKey: key) }
        if var deploy = m["deploy"]?.mapping {
            deploy.removeValue(forKey: "replicas")
            m["deploy"] = deploy.isEmpty ? nil : .mapping(deploy)
        }
        let digest = SHA256.hash(data: Array(JSONWriter.canonical(.mapping(m)).utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
