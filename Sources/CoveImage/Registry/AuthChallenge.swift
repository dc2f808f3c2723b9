/// One challenge of a `WWW-Authenticate` header (RFC 7235): a scheme and its parameters, as a
/// registry sends with a 401 (`Bearer realm="https://auth.example/token",service="registry",
/// scope="repository:library/busybox:pull"`, or `Basic realm="Registry Realm"`).
public struct AuthChallenge: Hashable, Sendable {
    /// The scheme, lower case: `bearer`, `basic`.
    public var scheme: String
    /// The parameters; names lower case, values unquoted and unescaped.
    public var parameters: [String: String]

    public init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    /// The challenges in a header value, in order. Unparseable text ends the list (what came
    /// before is kept); a header with no scheme gives an empty list.
    public static func parse(_ header: String) -> [AuthChallenge] {
        var scanner = Scanner(Array(header.unicodeScalars))
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == " " || $0 == "\t" || $0 == "," }
            guard let scheme = scanner.token(), !scheme.isEmpty else { break }
            var challenge = AuthChallenge(scheme: scheme)
            while true {
                let mark = scanner.position
                scanner.skip { $0 == " " || $0 == "\t" || $0 == "," }
                guard let name = scanner.token(), !name.isEmpty else { break }
                scanner.skip { $0 == " " || $0 == "\t" }
                guard scanner.take("=") else {
                    // A token not followed by `=` starts the next challenge.
                    scanner.position = mark
                    break
                }
                scanner.skip { $0 == " " || $0 == "\t" }
                guard let value = scanner.quoted() ?? scanner.token() else { break }
                challenge.parameters[name.lowercased()] = value
            }
            challenges.append(challenge)
            if scanner.atEnd { break }
        }
        return challenges
    }

    /// A cursor over the header's characters.
    private struct Scanner {
        let characters: [Unicode.Scalar]
        var position = 0

        init(_ characters: [Unicode.Scalar]) { self.characters = characters }

        var atEnd: Bool { position >= characters.count }

        mutating func skip(while predicate: (Unicode.Scalar) -> Bool) {
            while position < characters.count, predicate(characters[position]) { position += 1 }
        }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
            return true
        }

        /// An RFC 7230 token (here also `/`, `:` and `.` for unquoted URLs and scopes some servers send).
        mutating func token() -> String? {
            let start = position
            skip { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "!#$%&'*+-.^_`|~/:".unicodeScalars.contains(scalar)
            }
            guard position > start else { return nil }
            return String(String.UnicodeScalarView(characters[start..<position]))
        }

        /// A quoted string with backslash escapes, or nil when none starts here (or it is not closed).
        mutating func quoted() -> String? {
            guard position < characters.count, characters[position] == "\"" else { return nil }
            var index = position + 1
            var text = String.UnicodeScalarView()
            while index < characters.count {
                let scalar = characters[index]
                if scalar == "\"" {
                    position = index + 1
                    return String(text)
                }
                if scalar == "\\", index + 1 < characters.count {
                    index += 1
                }
                text.append(characters[index])
                index += 1
            }
            return nil
        }
    }
}
