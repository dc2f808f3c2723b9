import CoveCore
import Foundation

/// A seccomp profile in Docker's JSON format (moby/profiles `seccomp/default.json`).
public struct SeccompProfile: Sendable, Decodable, Equatable {
    public var defaultAction: String
    public var defaultErrnoRet: Int?
    public var archMap: [ArchMap]?
    /// The older format's list of architectures (`SCMP_ARCH_X86_64`, …).
    public var architectures: [String]?
    public var syscalls: [Syscall]

    public struct ArchMap: Sendable, Decodable, Equatable {
        public var architecture: String
        public var subArchitectures: [String]?
    }

    /// One entry of `syscalls`: names, an action, argument conditions, and when it applies.
    public struct Syscall: Sendable, Decodable, Equatable {
        public var names: [String]
        public var action: String
        public var errnoRet: Int?
        public var args: [Argument]?
        public var includes: Filter?
        public var excludes: Filter?
    }

    public struct Argument: Sendable, Decodable, Equatable {
        public var index: Int
        public var value: UInt64
        public var valueTwo: UInt64?
        public var op: String
    }

    /// `includes`/`excludes`: capabilities, architectures (Go names: amd64, x86, …), minimum kernel.
    public struct Filter: Sendable, Decodable, Equatable {
        public var caps: [String]?
        public var arches: [String]?
        public var minKernel: String?
    }

    /// Docker's default profile, as shipped in `Seccomp/docker-default.json` (parsed once).
    public static func dockerDefault() throws(CoveError) -> SeccompProfile {
        try parsedDefault.get()
    }

    private static let parsedDefault = Result { () throws(CoveError) in try parse(dockerDefaultSeccompJSON) }

    /// A profile from its JSON text.
    ///
    /// - Throws: `CoveError.invalidInput` naming what is wrong.
    public static func parse(_ text: String) throws(CoveError) -> SeccompProfile {
        do {
            return try JSONDecoder().decode(SeccompProfile.self, from: Data(text.utf8))
        } catch {
            throw CoveError(.invalidInput, "invalid seccomp profile", cause: "\(error)")
        }
    }
}
