import CoveCore

/// A normalized image reference, as Docker reads one: `busybox` is `docker.io/library/busybox`,
/// `user/app:1` is `docker.io/user/app:1`, `localhost:5000/x@sha256:…` keeps its registry.
///
/// Parsing follows Docker's `ParseNormalizedNamed` (distribution/reference): the first path
/// component is the registry domain when it contains `.` or `:`, is `localhost`, or has an
/// upper-case letter; otherwise the domain is `docker.io`, and single names on Docker Hub get the
/// `library/` namespace. `index.docker.io` becomes `docker.io`. Errors carry Docker's own messages.
///
/// A parsed reference has no tag when none was written; `withDefaultTag` adds `latest` the way
/// Docker does before a pull. It encodes and decodes as its fully qualified string.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible, Codable {
    /// Docker Hub's canonical domain.
    public static let defaultDomain = "docker.io"
    /// Docker Hub's legacy domain, normalized to `docker.io`.
    public static let legacyDefaultDomain = "index.docker.io"
    /// The namespace of Docker Hub's official images.
    public static let officialNamespace = "library"
    /// The tag used when a reference has neither a tag nor a digest.
    public static let defaultTag = "latest"
    /// The longest repository path Docker accepts.
    public static let maximumPathLength = 255

    /// The registry: `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000`.
    public let domain: String
    /// The repository path inside the registry: `library/busybox`, `user/app`.
    public let path: String
    /// The tag, when one was written.
    public let tag: String?
    /// The digest, when one was written.
    public let digest: Digest?

    /// Parses a reference as the Docker CLI does (`busybox`, `user/app:1`, `ghcr.io/o/r@sha256:…`).
    public init(parsing text: String) throws(CoveError) {
        self = try ImageReference.parse(text)
    }

    private init(domain: String, path: String, tag: String?, digest: Digest?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `domain/path`: `docker.io/library/busybox`.
    public var name: String { "\(domain)/\(path)" }

    /// The fully qualified reference: `docker.io/library/busybox:latest@sha256:…`.
    public var string: String { name + suffix }

    public var description: String { string }

    /// The name as Docker shows it: `busybox`, `user/app`, `localhost:5000/x`.
    public var familiarName: String {
        guard domain == ImageReference.defaultDomain else { return name }
        let official = ImageReference.officialNamespace + "/"
        if path.hasPrefix(official) {
            let rest = path.dropFirst(official.count)
            if !rest.contains("/") { return String(rest) }
        }
        return path
    }

    /// The reference as Docker shows it: `busybox:latest`, `user/app:1`, `localhost:5000/x:y`.
    public var familiar: String { familiarName + suffix }

    /// True when the image lives on Docker Hub.
    public var isDockerHub: Bool { domain == ImageReference.defaultDomain }

    /// The reference with the tag `latest` when it has neither a tag nor a digest.
    public var withDefaultTag: ImageReference {
        guard tag == nil, digest == nil else { return self }
        return ImageReference(domain: domain, path: path, tag: ImageReference.defaultTag, digest: nil)
    }

    /// What a pull resolves, as Docker's `ParseDockerRef`: the digest alone when there is one (the
    /// tag is then only informative), else the tag, `latest` by default.
    public var forPull: ImageReference {
        if let digest { return ImageReference(domain: domain, path: path, tag: nil, digest: digest) }
        return withDefaultTag
    }

    /// The same repository without tag or digest.
    public var repository: ImageReference {
        ImageReference(domain: domain, path: path, tag: nil, digest: nil)
    }

    /// The same repository and digest with another tag; the tag must be valid.
    public func withTag(_ tag: String) throws(CoveError) -> ImageReference {
        guard ReferenceGrammar.isTag(tag) else {
            throw CoveError(.invalidInput, "invalid tag format: \(String(reflecting: tag))")
        }
        return ImageReference(domain: domain, path: path, tag: tag, digest: digest)
    }

    /// The same repository and tag with a digest.
    public func withDigest(_ digest: Digest?) -> ImageReference {
        ImageReference(domain: domain, path: path, tag: tag, digest: digest)
    }

    /// True when `text` is a valid tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    public static func isValidTag(_ text: String) -> Bool { ReferenceGrammar.isTag(text) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ImageReference(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }

    private var suffix: String {
        var text = ""
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }
}

extension ImageReference {
    /// Docker's `ParseNormalizedNamed`, then `Parse` on the normalized text.
    fileprivate static func parse(_ text: String) throws(CoveError) -> ImageReference {
        if text.isEmpty {
            throw CoveError(.invalidInput, "invalid reference format: repository name must have at least one component")
        }
        if Digest.isSHA256Hex(text) {
            throw CoveError(
                .invalidInput, "invalid repository name (\(text)), cannot specify 64-byte hexadecimal strings")
        }
        let (domain, remainder) = splitDomain(text)
        let remote = remainder.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if remote.lowercased() != remote {
            throw CoveError(
                .invalidInput, "invalid reference format: repository name (\(shown(String(remote)))) must be lowercase")
        }
        let full = "\(domain)/\(remainder)"
        guard let match = ReferenceGrammar.match(full) else {
            let lower = full.lowercased()
            if lower != full, ReferenceGrammar.match(lower) != nil {
                throw CoveError(
                    .invalidInput, "invalid reference format: repository name (\(shown(text))) must be lowercase")
            }
            throw invalidFormat(text)
        }
        // Docker would accept a first component that is not a valid domain (`foo_bar.com/x`) as part of
        // a domain-less path; such a reference names no registry, so Cove rejects it.
        guard let matchedDomain = match.domain else { throw invalidFormat(text) }
        guard match.path.utf8.count <= maximumPathLength else {
            throw CoveError(
                .invalidInput, "repository name must not be more than \(maximumPathLength) characters")
        }
        let digest = try match.digest.map { (text: String) throws(CoveError) in try Digest(parsing: text) }
        return ImageReference(domain: matchedDomain, path: match.path, tag: match.tag, digest: digest)
    }

    /// Docker's `splitDockerDomain`: decides whether the first component names a registry.
    private static func splitDomain(_ text: String) -> (domain: String, remainder: String) {
        let official = officialNamespace + "/"
        guard let slash = text.firstIndex(of: "/") else {
            return (defaultDomain, official + text)
        }
        let first = String(text[..<slash])
        var remainder = String(text[text.index(after: slash)...])
        let domain: String
        if first == "localhost" {
            domain = first
        } else if first == legacyDefaultDomain {
            domain = defaultDomain
        } else if first.contains(".") || first.contains(":") || first.lowercased() != first {
            domain = first
        } else {
            return (defaultDomain, text)
        }
        if domain == defaultDomain, !remainder.contains("/") {
            remainder = official + remainder
        }
        return (domain, remainder)
    }

    private static func invalidFormat(_ text: String) -> CoveError {
        CoveError(.invalidInput, "invalid reference format: \"\(shown(text))\"")
    }

    /// User text as it may appear in a message: control characters and quotes escaped, cut short when long.
    private static func shown(_ text: String) -> String {
        let limit = 300
        let cut = text.count > limit ? String(text.prefix(limit)) : text
        let escaped = String(String(reflecting: cut).dropFirst().dropLast())
        return cut.count < text.count ? escaped + "…" : escaped
    }
}
