import CoveCore

/// The project name, chosen as Docker Compose chooses it: `-p`, then
/// `COMPOSE_PROJECT_NAME`, then the top-level `name`, then the project directory's name
/// made valid. A name given explicitly must already be valid: lower case letters, digits,
/// `_` and `-`, starting with a letter or digit.
public enum ProjectName {
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLowerAlnum(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlnum($0) || $0 == "_" || $0 == "-" }
    }

    static func isLowerAlnum(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
    }

    /// A directory name made into a valid project name (lower case, invalid characters dropped).
    public static func normalized(_ raw: String) -> String {
        let lowered = raw.lowercased().unicodeScalars.filter { isLowerAlnum($0) || $0 == "_" || $0 == "-" }
        var s = String(String.UnicodeScalarView(lowered))
        while let first = s.unicodeScalars.first, !isLowerAlnum(first) { s.removeFirst() }
        return s
    }

    static func invalid(_ name: String, from what: String, at location: SourceLocation?) -> CoveError {
        CoveError.invalid(
            "invalid project name \"\(name)\" (from \(what)): use only lower case letters, digits, \"-\" and \"_\", starting with a letter or digit",
            at: location)
    }

    static func resolve(flag: String?, environment: Environment, model: Mapping, directory: String) throws(CoveError)
        -> String
    {
        if let flag {
            guard isValid(flag) else { throw invalid(flag, from: "--project-name", at: nil) }
            return flag
        }
        if let env = environment["COMPOSE_PROJECT_NAME"], !env.isEmpty {
            guard isValid(env) else { throw invalid(env, from: "COMPOSE_PROJECT_NAME", at: nil) }
            return env
        }
        if let node = model["name"], let name = node.scalarText, !name.isEmpty {
            guard isValid(name) else { throw invalid(name, from: "the top-level name", at: node.location) }
            return name
        }
        let fromDirectory = normalized(PathResolver.lastComponent(of: directory))
        guard !fromDirectory.isEmpty else {
            throw CoveError.invalid(
                "cannot derive a project name from the directory \"\(directory)\"; set one with -p or a top-level name",
                at: nil)
        }
        return fromDirectory
    }
}
