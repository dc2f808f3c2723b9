/// A namespace the container gets of its own.
public enum Namespace: String, Sendable, CaseIterable, Comparable {
    case pid, mount, uts, ipc, network, cgroup

    public static func < (lhs: Namespace, rhs: Namespace) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
