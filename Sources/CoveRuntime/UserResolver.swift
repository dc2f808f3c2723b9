import CoveCore

/// Docker's `--user` rules over the image's `/etc/passwd` and `/etc/group` (text given, so pure).
public enum UserResolver {
    /// Resolves `user` (`""`, `name`, `uid`, `name:group`, `uid:gid`) and `additionalGroups`.
    ///
    /// A name must be in the files; a number need not be (its gid is then 0 unless given). The
    /// user's supplementary groups are the `/etc/group` entries that list its name.
    /// - Throws: `CoveError.invalidInput` with Docker's wording for an unknown user or group.
    public static func resolve(user: String, additionalGroups: [String] = [], passwd: String, group: String)
        throws(CoveError) -> ResolvedUser
    {
        let users = entries(passwd)
        let groups = entries(group)
        let parts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts.first.flatMap { $0.isEmpty ? nil : $0 } ?? "root"
        var resolved: ResolvedUser
        var name: String?
        if let entry = users.first(where: { $0.first == userPart }) ?? uidEntry(userPart, users) {
            guard entry.count >= 6, let uid = UInt32(entry[2]), let gid = UInt32(entry[3]) else {
                throw CoveError(.invalidInput, "invalid passwd entry for user \(userPart)")
            }
            resolved = ResolvedUser(uid: uid, gid: gid, home: entry[5])
            name = entry[0]
        } else if let uid = UInt32(userPart) {
            resolved = ResolvedUser(uid: uid, gid: 0)
        } else if userPart == "root" {
            resolved = ResolvedUser(uid: 0, gid: 0, home: "/root")
            name = "root"
        } else {
            throw CoveError(
                .invalidInput, "unable to find user \(userPart): no matching entries in passwd file")
        }
        if parts.count == 2 {
            resolved.gid = try gid(parts[1], groups)
        }
        if let name {
            resolved.groups = groups.filter { $0.count >= 4 && $0[3].split(separator: ",").contains(Substring(name)) }
                .compactMap { UInt32($0[2]) }
        }
        for extra in additionalGroups {
            let value = try gid(extra, groups)
            if !resolved.groups.contains(value) { resolved.groups.append(value) }
        }
        return resolved
    }

    static func uidEntry(_ text: String, _ users: [[String]]) -> [String]? {
        guard UInt32(text) != nil else { return nil }
        return users.first { $0.count >= 3 && $0[2] == text }
    }

    static func gid(_ text: String, _ groups: [[String]]) throws(CoveError) -> UInt32 {
        if let number = UInt32(text) { return number }
        guard let entry = groups.first(where: { $0.first == text }), entry.count >= 3, let gid = UInt32(entry[2]) else {
            throw CoveError(.invalidInput, "unable to find group \(text): no matching entries in group file")
        }
        return gid
    }

    static func entries(_ text: String) -> [[String]] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
