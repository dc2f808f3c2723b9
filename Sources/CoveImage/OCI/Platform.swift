import CoveCore

/// The platform an image runs on: operating system, CPU architecture and variant.
///
/// Spelled `os/arch[/variant]` (`linux/amd64`, `linux/arm64/v8`, `linux/arm/v7`). Comparison
/// goes through `normalized`, which applies containerd's aliases (`x86_64` is `amd64`,
/// `aarch64` is `arm64`, `arm64/v8` is plain `arm64`, plain `arm` is `arm/v7`). Nothing here asks
/// the operating system: the host platform is always passed in.
public struct Platform: Hashable, Sendable, Codable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    /// The CPU variant: `v7` for arm, `v8` for arm64, `v2`/`v3` for amd64; nil when none.
    public var variant: String?
    /// The OS version (Windows images); not compared on Linux.
    public var osVersion: String?
    /// Required OS features (Windows images).
    public var osFeatures: [String]?

    public init(
        os: String, architecture: String, variant: String? = nil, osVersion: String? = nil,
        osFeatures: [String]? = nil
    ) {
        self.os = os
        self.architecture = architecture
        self.variant = variant.flatMap { $0.isEmpty ? nil : $0 }
        self.osVersion = osVersion
        self.osFeatures = osFeatures
    }

    private enum CodingKeys: String, CodingKey {
        case os, architecture, variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            os: try container.decode(String.self, forKey: .os),
            architecture: try container.decode(String.self, forKey: .architecture),
            variant: try container.decodeIfPresent(String.self, forKey: .variant),
            osVersion: try container.decodeIfPresent(String.self, forKey: .osVersion),
            osFeatures: try container.decodeIfPresent([String].self, forKey: .osFeatures))
    }

    /// `os/arch[/variant]`.
    public var description: String {
        if let variant { return "\(os)/\(architecture)/\(variant)" }
        return "\(os)/\(architecture)"
    }

    /// The platform in containerd's canonical spelling, the form platforms are compared in.
    public var normalized: Platform {
        var os = self.os.lowercased()
        if os == "macos" { os = "darwin" }
        let (architecture, variant) = Platform.normalizeArchitecture(self.architecture, variant ?? "")
        return Platform(
            os: os, architecture: architecture, variant: variant, osVersion: osVersion, osFeatures: osFeatures)
    }

    /// Parses a platform specifier as `docker --platform` does: `linux/amd64`, `linux/arm64/v8`,
    /// `linux/arm/v7`, or a lone OS (`linux`) or architecture (`arm64`), the rest taken from `host`.
    public static func parse(_ specifier: String, host: Platform) throws(CoveError) -> Platform {
        let quoted = String(reflecting: specifier)
        if specifier.contains("*") {
            throw CoveError(.invalidInput, "invalid platform \(quoted): wildcards are not supported")
        }
        let parts = specifier.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 3 else {
            throw CoveError(.invalidInput, "invalid platform \(quoted): expected os[/arch[/variant]]")
        }
        for (position, part) in parts.enumerated() where !isSpecifierPart(part, allowDot: position > 0) {
            throw CoveError(
                .invalidInput,
                "invalid platform \(quoted): \(String(reflecting: part)) is not a valid "
                    + "\(["operating system", "architecture", "variant"][position])")
        }
        let os = parts[0].lowercased() == "macos" ? "darwin" : parts[0].lowercased()
        switch parts.count {
        case 1:
            if knownOperatingSystems.contains(os) {
                return Platform(os: os, architecture: host.architecture, variant: host.variant)
            }
            var (architecture, variant) = normalizeArchitecture(parts[0], "")
            if architecture == "arm", variant == "v7" { variant = nil }
            guard knownArchitectures.contains(architecture) else {
                throw CoveError(.invalidInput, "invalid platform \(quoted): unknown operating system or architecture")
            }
            return Platform(os: host.os, architecture: architecture, variant: variant)
        case 2:
            var (architecture, variant) = normalizeArchitecture(parts[1], "")
            if architecture == "arm", variant == "v7" { variant = nil }
            return Platform(os: os, architecture: architecture, variant: variant)
        default:
            var (architecture, variant) = normalizeArchitecture(parts[1], parts[2])
            if architecture == "arm64", variant == nil { variant = "v8" }
            return Platform(os: os, architecture: architecture, variant: variant)
        }
    }

    /// containerd's `normalizeArch`: canonical architecture names and variants.
    static func normalizeArchitecture(_ architecture: String, _ variant: String) -> (String, String?) {
        var architecture = architecture.lowercased()
        var variant = variant.lowercased()
        switch architecture {
        case "i386":
            architecture = "386"
            variant = ""
        case "x86_64", "x86-64", "amd64":
            architecture = "amd64"
            if variant == "v1" { variant = "" }
        case "aarch64", "arm64":
            architecture = "arm64"
            switch variant {
            case "8", "v8", "v8.0": variant = ""
            case "9", "9.0", "v9.0": variant = "v9"
            default: break
            }
        case "armhf":
            architecture = "arm"
            variant = "v7"
        case "armel":
            architecture = "arm"
            variant = "v6"
        case "arm":
            switch variant {
            case "", "7": variant = "v7"
            case "5", "6", "8": variant = "v" + variant
            default: break
            }
        default:
            break
        }
        return (architecture, variant.isEmpty ? nil : variant)
    }

    private static func isSpecifierPart(_ part: String, allowDot: Bool) -> Bool {
        !part.isEmpty
            && part.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
                        || (allowDot && scalar == "."))
            }
    }

    /// Go's operating systems, as containerd knows them.
    static let knownOperatingSystems: Set<String> = [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
        "netbsd", "openbsd", "plan9", "solaris", "windows", "zos",
    ]

    /// Go's architectures, as containerd knows them.
    static let knownArchitectures: Set<String> = [
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64", "mips",
        "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x",
        "sparc", "sparc64", "wasm",
    ]
}
