import CoveCore
import CoveLinux
import Foundation

/// The engine's id: made once per root, kept in `<root>/engine-id`, reported as `/info`'s `ID`.
enum EngineID {
    /// The id stored under `root`, made and stored (mode 0600) when there is none yet.
    static func load(root: String) throws(CoveError) -> String {
        let path = root + "/engine-id"
        if let bytes = try AtomicFile.read(path, limit: 256) {
            let stored = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
            if isValid(stored) { return stored }
        }
        let id = UUID().uuidString.lowercased()
        try AtomicFile.write(Array((id + "\n").utf8), to: path, mode: 0o600)
        return id
    }

    /// Letters, digits, `-` and `:`, 1 to 128 of them.
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ":") }
    }
}
