/// Resolves the relative paths of a compose file (`./data`, `~/src`, `..`) against the
/// directory they are relative to. Pure string work: nothing is looked up on disk.
public struct PathResolver: Sendable {
    /// The directory relative paths start from (absolute).
    public var base: String
    /// The user's home directory, for `~`.
    public var home: String

    public init(base: String, home: String) {
        self.base = base
        self.home = home
    }

    /// `path` made absolute and clean.
    public func resolve(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return PathResolver.clean(home + "/" + path.dropFirst(2)) }
        if path.hasPrefix("/") { return path }
        // The common `./name/...` under a clean base needs no cleaning.
        if path.hasPrefix("./") {
            let rest = String(path.dropFirst(2))
            if !rest.isEmpty, PathResolver.isClean(rest), base.hasPrefix("/"), PathResolver.isClean(base) {
                return base == "/" ? "/" + rest : base + "/" + rest
            }
        }
        return PathResolver.clean(base + "/" + path)
    }

    /// A resolver for paths relative to `directory` (itself resolved against this one).
    public func relative(to directory: String) -> PathResolver {
        PathResolver(base: resolve(directory), home: home)
    }

    /// Whether a volume source names a host path rather than a volume.
    public static func isFilePath(_ source: String) -> Bool {
        guard let first = source.first else { return false }
        return first == "." || first == "/" || first == "~"
    }

    /// Lexical cleaning as Go's `path.Clean`: no `.`, no `..` after a name, no double slash.
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        if isClean(path) { return path }
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." {
                    out.removeLast()
                } else if !absolute {
                    out.append(part)
                }
                continue
            }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `clean` would return the path as it is (one pass over the bytes): no empty,
    /// `.` or `..` component and no trailing slash, the root aside.
    private static func isClean(_ path: String) -> Bool {
        var componentLength = 0
        var dots = 0
        var first = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                // An empty component (`//`, or a leading one in a relative path), `.` or `..`.
                if !first, componentLength == 0 || componentLength == dots { return false }
                if first, componentLength > 0, componentLength == dots { return false }
                first = false
                componentLength = 0
                dots = 0
                continue
            }
            componentLength += 1
            if byte == UInt8(ascii: ".") { dots += 1 }
        }
        if path == "/" { return true }
        return componentLength > 0 && (componentLength != dots || componentLength > 2)
    }

    /// The directory part of a path (`/a/b/c.yaml` → `/a/b`).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// `path` relative to `directory` when it lies below it, else `path` itself.
    public static func relative(_ path: String, to directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The last part of a path.
    public static func lastComponent(of path: String) -> String {
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        guard end > path.startIndex else { return path }
        let start = path[..<end].lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        return String(path[start..<end])
    }
}
