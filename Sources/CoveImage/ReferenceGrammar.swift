/// Docker's image reference grammar (distribution/reference `regexp.go`), written as plain
/// matching functions over UTF-8 bytes rather than regular expressions.
///
///     reference       := name [ ":" tag ] [ "@" digest ]
///     name            := [ domain-and-port "/" ] remote-name
///     domain-and-port := host [ ":" port-number ]
///     host            := domain-name | "[" ipv6-hex-and-colons "]"
///     domain-name     := domain-component ( "." domain-component )*
///     domain-component:= [a-zA-Z0-9] | [a-zA-Z0-9] [a-zA-Z0-9-]* [a-zA-Z0-9]
///     remote-name     := path-component ( "/" path-component )*
///     path-component  := [a-z0-9]+ ( separator [a-z0-9]+ )*
///     separator       := "." | "_" | "__" | "-"+
///     tag             := [\w] [\w.-]{0,127}
///     digest          := algorithm ":" [0-9a-fA-F]{32,}
///     algorithm       := [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )*
enum ReferenceGrammar {
    typealias Bytes = ArraySlice<UInt8>

    /// The parts of a string that matches the whole reference grammar.
    struct Match {
        /// The domain, when the name's first component is one.
        var domain: String?
        var path: String
        var tag: String?
        var digest: String?
    }

    /// Matches `text` against the full grammar; nil when it does not match.
    static func match(_ text: String) -> Match? {
        let bytes = Array(text.utf8)[...]
        var nameAndTag = bytes
        var digest: String?
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            let digestBytes = bytes[(at + 1)...]
            guard isDigest(digestBytes) else { return nil }
            digest = string(digestBytes)
            nameAndTag = bytes[..<at]
        }
        // A ':' after the last '/' can only introduce the tag: the remote name has no ':'.
        let lastSlash = nameAndTag.lastIndex(of: UInt8(ascii: "/")) ?? nameAndTag.startIndex
        var name = nameAndTag
        var tag: String?
        if let colon = nameAndTag[lastSlash...].lastIndex(of: UInt8(ascii: ":")) {
            let tagBytes = nameAndTag[(colon + 1)...]
            guard isTag(tagBytes) else { return nil }
            tag = string(tagBytes)
            name = nameAndTag[..<colon]
        }
        guard let (domain, path) = matchName(name) else { return nil }
        return Match(domain: domain.map(string), path: string(path), tag: tag, digest: digest)
    }

    /// Splits a name into its domain (when the first component is one) and its remote name.
    static func matchName(_ name: Bytes) -> (Bytes?, Bytes)? {
        if let slash = name.firstIndex(of: UInt8(ascii: "/")) {
            let domain = name[..<slash]
            let rest = name[(slash + 1)...]
            if isDomainAndPort(domain), isRemoteName(rest) { return (domain, rest) }
        }
        return isRemoteName(name) ? (nil, name) : nil
    }

    /// `tag := [\w][\w.-]{0,127}`
    static func isTag(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, isWord(first), bytes.count <= 128 else { return false }
        return bytes.dropFirst().allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// True when `text` is a valid tag.
    static func isTag(_ text: String) -> Bool { isTag(Array(text.utf8)[...]) }

    /// `remote-name := path-component ( "/" path-component )*`
    static func isRemoteName(_ bytes: Bytes) -> Bool {
        bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy(isPathComponent)
    }

    /// `path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*`
    static func isPathComponent(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else {
            return false
        }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if isLowerAlnum(bytes[index]) {
                index += 1
                continue
            }
            let start = index
            while index < bytes.endIndex, !isLowerAlnum(bytes[index]) { index += 1 }
            guard isSeparator(bytes[start..<index]) else { return false }
        }
        return true
    }

    /// `separator := "." | "_" | "__" | "-"+`
    static func isSeparator(_ bytes: Bytes) -> Bool {
        switch Array(bytes) {
        case [UInt8(ascii: ".")], [UInt8(ascii: "_")], [UInt8(ascii: "_"), UInt8(ascii: "_")]: true
        default: !bytes.isEmpty && bytes.allSatisfy { $0 == UInt8(ascii: "-") }
        }
    }

    /// `domain-and-port := host [ ":" [0-9]+ ]`
    static func isDomainAndPort(_ bytes: Bytes) -> Bool {
        var hostEnd: Int
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let address = bytes[(bytes.startIndex + 1)..<close]
            guard !address.isEmpty, address.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") }) else {
                return false
            }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            guard isDomainName(bytes[..<hostEnd]) else { return false }
        }
        let rest = bytes[hostEnd...]
        guard let colon = rest.first else { return true }
        let port = rest.dropFirst()
        return colon == UInt8(ascii: ":") && !port.isEmpty && port.allSatisfy(isDigit)
    }

    /// `domain-name := domain-component ( "." domain-component )*`
    static func isDomainName(_ bytes: Bytes) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, let last = part.last, isAlnum(first), isAlnum(last) else { return false }
            return part.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// `digest := algorithm ":" [0-9a-fA-F]{32,}`, the loose form the grammar accepts before the digest
    /// itself is validated.
    static func isDigest(_ bytes: Bytes) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let encoded = bytes[(colon + 1)...]
        guard encoded.count >= 32, encoded.allSatisfy(isHex) else { return false }
        let components = bytes[..<colon].split(omittingEmptySubsequences: false) { byte in
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".")
        }
        return components.allSatisfy { part in
            guard let first = part.first, isLetter(first) else { return false }
            return part.allSatisfy(isAlnum)
        }
    }

    static func isLowerAlnum(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func isAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }

    static func isWord(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == UInt8(ascii: "_") }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func string(_ bytes: Bytes) -> String { String(decoding: bytes, as: UTF8.self) }
}
