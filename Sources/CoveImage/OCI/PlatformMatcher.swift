import CoveCore

/// Decides which platforms an image may be run on for a wanted platform, and which is best.
///
/// The rules are containerd's `platforms.Only`: the wanted platform first, then what it can also
/// run, in order of preference:
/// - `amd64/vN` also runs `amd64/vN-1` … `amd64/v1`, then `386`;
/// - `arm/vN` also runs `arm/vN-1` … `arm/v5`;
/// - `arm64/v8.x` also runs `arm64/v8.x-1` … `arm64/v8`, then `arm/v8` … `arm/v5`;
///   `arm64/v9.x` also runs `arm64/v9.x-1` … `arm64/v9`, then `arm64/v8.(x+5)` … `arm64/v8`.
/// Platforms are compared normalized; OS versions are not compared, and a candidate's OS features
/// must all be among the wanted platform's.
public struct PlatformMatcher: Sendable {
    /// The wanted platform, normalized.
    public let wanted: Platform
    /// The acceptable platforms, most preferred first, normalized.
    public let acceptable: [Platform]

    /// A matcher for `platform` and what it can also run.
    public init(_ platform: Platform) {
        wanted = platform.normalized
        acceptable = PlatformMatcher.vector(wanted).map(\.normalized)
    }

    /// A matcher that accepts only `platform` itself (containerd's `OnlyStrict`).
    public init(strict platform: Platform) {
        wanted = platform.normalized
        acceptable = [wanted]
    }

    /// True when an image for `candidate` can run on the wanted platform.
    public func matches(_ candidate: Platform) -> Bool { rank(of: candidate) != nil }

    /// The position of `candidate` in the order of preference (0 is best), nil when it does not match.
    public func rank(of candidate: Platform) -> Int? {
        let normalized = candidate.normalized
        guard Set(normalized.osFeatures ?? []).isSubset(of: Set(wanted.osFeatures ?? [])) else { return nil }
        return acceptable.firstIndex { accepted in
            accepted.os == normalized.os && accepted.architecture == normalized.architecture
                && accepted.variant == normalized.variant
        }
    }

    /// containerd's `platformVector`: `platform`, then what it can also run, most preferred first.
    static func vector(_ platform: Platform) -> [Platform] {
        func with(architecture: String, variant: String?) -> Platform {
            Platform(
                os: platform.os, architecture: architecture, variant: variant, osVersion: platform.osVersion,
                osFeatures: platform.osFeatures)
        }
        var vector = [platform]
        switch platform.architecture {
        case "amd64":
            if let version = versionNumber(platform.variant), version > 1 {
                for lower in stride(from: version - 1, through: 1, by: -1) {
                    vector.append(with(architecture: "amd64", variant: "v\(lower)"))
                }
            }
            vector.append(with(architecture: "386", variant: nil))
        case "arm":
            if let version = versionNumber(platform.variant), version > 5 {
                for lower in stride(from: version - 1, through: 5, by: -1) {
                    vector.append(with(architecture: "arm", variant: "v\(lower)"))
                }
            }
        case "arm64":
            var variant = platform.variant ?? "v8"
            vector = []
            guard let versions = arm64Versions[variant] else { break }
            for (major, highestMinor) in versions {
                for minor in stride(from: highestMinor, through: 0, by: -1) {
                    let name = minor == 0 ? "v\(major)" : "v\(major).\(minor)"
                    vector.append(with(architecture: "arm64", variant: name))
                }
            }
            // Every arm64 v8.x and v9.x CPU also runs 32-bit arm/v8 and below.
            if variant.hasPrefix("v8") || variant.hasPrefix("v9") { variant = "v8" }
            vector += PlatformMatcher.vector(with(architecture: "arm", variant: variant))
        default:
            break
        }
        return vector
    }

    /// `v3` → 3; nil for anything else.
    private static func versionNumber(_ variant: String?) -> Int? {
        guard let variant, variant.hasPrefix("v") else { return nil }
        return Int(variant.dropFirst())
    }

    /// arm64 variants and the (major, highest minor) pairs they can run, from containerd.
    private static let arm64Versions: [String: [(Int, Int)]] = {
        var table: [String: [(Int, Int)]] = ["v8": [(8, 0)], "v9": [(9, 0), (8, 5)]]
        for minor in 0...9 { table["v8.\(minor)"] = [(8, minor)] }
        for minor in 0...7 { table["v9.\(minor)"] = [(9, minor), (8, min(minor + 5, 9))] }
        return table
    }()
}

extension ImageIndex {
    /// The manifests that can run on `platform`, best first; ties keep the index's order.
    ///
    /// Only image manifests with a platform are considered: attestation manifests and nested
    /// indexes are never chosen.
    public func manifests(for platform: Platform) -> [Descriptor] {
        let matcher = PlatformMatcher(platform)
        let ranked = manifests.enumerated().compactMap { position, descriptor -> (Int, Int, Descriptor)? in
            guard MediaType.isManifest(descriptor.mediaType), !descriptor.isAttestation,
                let candidate = descriptor.platform,
                let rank = matcher.rank(of: candidate)
            else { return nil }
            return (rank, position, descriptor)
        }
        return ranked.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// The best manifest for `platform`; Docker's error when there is none.
    public func manifest(for platform: Platform) throws(CoveError) -> Descriptor {
        guard let best = manifests(for: platform).first else {
            throw CoveError(.notFound, "no matching manifest for \(platform) in the manifest list entries")
        }
        return best
    }

    /// The platforms the index offers, in its order (attestations left out).
    public var platforms: [Platform] {
        manifests.compactMap { MediaType.isManifest($0.mediaType) && !$0.isAttestation ? $0.platform : nil }
    }
}

extension Descriptor {
    /// True for the attestation manifests BuildKit adds to an index (`vnd.docker.reference.type`).
    public var isAttestation: Bool {
        annotations?[Annotation.dockerReferenceType] == "attestation-manifest"
    }
}
