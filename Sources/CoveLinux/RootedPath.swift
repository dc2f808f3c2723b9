/// A path inside a `RootedDirectory`, cleaned lexically: no empty, `.` or `..` components.
///
/// Archive names are cleaned as if joined to `/`: `./a//b/` is `a/b`, `../../etc/x` and
/// `/etc/x` are both `etc/x`, `a/../b` is `b`. The cleaning alone never lets a name leave the
/// root; symlinks met on the way are the resolver's business (`RootedDirectory`).
public struct RootedPath: Hashable, Sendable, CustomStringConvertible {
    /// The components, each a plain name (no `/`, never `.` or `..`).
    public let components: [String]

    /// Cleans an archive name.
    public init(_ name: String) {
        var components: [String] = []
        for component in name.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        self.components = components
    }

    init(components: [String]) {
        self.components = components
    }

    /// True for the root itself (an empty or `./` name).
    public var isRoot: Bool { components.isEmpty }

    /// The last component; empty for the root.
    public var name: String { components.last ?? "" }

    /// The directory that holds this path (the root holds itself).
    public var parent: RootedPath { RootedPath(components: Array(components.dropLast())) }

    /// `a/b/c`, or `.` for the root: the form handed to `openat2`.
    public var description: String { components.isEmpty ? "." : components.joined(separator: "/") }

    /// This path with `name` appended (a plain name: no `/`, not `.` or `..`).
    public func appending(_ name: String) -> RootedPath {
        RootedPath(components: components + [name])
    }
}
