/// A seccomp filter ready for libseccomp: the profile's conditions already decided for one
/// architecture, capability set and kernel. The shim loads it with `seccomp_rule_add_array`.
public struct SeccompFilter: Sendable, Equatable {
    public var defaultAction: SeccompAction
    /// libseccomp architecture names (`x86_64`, `x86`, `x32`).
    public var architectures: [String]
    public var rules: [SeccompRule]
}
