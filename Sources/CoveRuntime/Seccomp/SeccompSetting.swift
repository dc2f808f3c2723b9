/// Which seccomp filter the container gets.
public enum SeccompSetting: Sendable, Equatable {
    /// Docker's default profile (shipped in `Seccomp/docker-default.json`).
    case dockerDefault
    /// `--security-opt seccomp=unconfined`.
    case unconfined
    /// `--security-opt seccomp=FILE`: the JSON text of a profile in Docker's format.
    case profile(String)
}
