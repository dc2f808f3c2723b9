import CoveCore
import CoveImage
import Foundation

/// The Dockerfile instructions `docker import --change` applies to an image config: CMD,
/// ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL.
enum ImageChanges {
    /// Applies one `--change` line to `config`; an unknown instruction or a malformed argument is an error.
    static func apply(_ change: String, to config: inout ContainerConfig) throws(CoveError) {
        let trimmed = change.trimmingCharacters(in: .whitespaces)
        let instruction = String(trimmed.prefix { !$0.isWhitespace }).uppercased()
        let rest = trimmed.drop { !$0.isWhitespace }.trimmingCharacters(in: .whitespaces)
        guard !rest.isEmpty else { throw CoveError(.invalidInput, "\(instruction) requires an argument: \(change)") }
        switch instruction {
        case "CMD": config.cmd = try command(rest)
        case "ENTRYPOINT": config.entrypoint = try command(rest)
        case "WORKDIR": config.workingDir = rest
        case "USER": config.user = rest
        case "STOPSIGNAL": config.stopSignal = rest
        case "ENV":
            var env = config.env ?? []
            for (key, value) in try pairs(rest, instruction: "ENV") {
                env.removeAll { $0.hasPrefix(key + "=") }
                env.append("\(key)=\(value)")
            }
            config.env = env
        case "LABEL":
            var labels = config.labels ?? [:]
            for (key, value) in try pairs(rest, instruction: "LABEL") { labels[key] = value }
            config.labels = labels
        case "EXPOSE":
            let ports = try words(rest).map { port throws(CoveError) -> String in
                let number = port.split(separator: "/").first.map(String.init) ?? ""
                guard let value = Int(number), (1...65535).contains(value) else {
                    throw CoveError(.invalidInput, "invalid port in EXPOSE: \(port)")
                }
                return port.contains("/") ? port.lowercased() : port + "/tcp"
            }
            config.exposedPorts = KeySet((config.exposedPorts?.keys ?? []) + ports)
        case "VOLUME":
            let volumes = rest.hasPrefix("[") ? try jsonList(rest) : try words(rest)
            config.volumes = KeySet((config.volumes?.keys ?? []) + volumes)
        default:
            throw CoveError(.invalidInput, "\(instruction.lowercased()) is not a valid change command")
        }
    }

    /// The exec form (`["a", "b"]`) as given, the shell form wrapped in `/bin/sh -c`.
    private static func command(_ text: String) throws(CoveError) -> [String] {
        text.hasPrefix("[") ? try jsonList(text) : ["/bin/sh", "-c", text]
    }

    private static func jsonList(_ text: String) throws(CoveError) -> [String] {
        guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw CoveError(.invalidInput, "not a JSON list of strings: \(text)")
        }
        return list
    }

    /// `k=v k2="v 2"`, or the legacy single pair `k v…`.
    private static func pairs(_ text: String, instruction: String) throws(CoveError) -> [(String, String)] {
        let tokens = try words(text)
        guard let first = tokens.first else { return [] }
        if !first.contains("=") {
            let value = text.drop { !$0.isWhitespace }.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw CoveError(.invalidInput, "\(instruction) \(first) needs a value") }
            return [(first, value)]
        }
        return try tokens.map { token throws(CoveError) -> (String, String) in
            guard let equals = token.firstIndex(of: "="), equals != token.startIndex else {
                throw CoveError(.invalidInput, "\(instruction): expected key=value, got \(token)")
            }
            return (String(token[..<equals]), String(token[token.index(after: equals)...]))
        }
    }

    /// Words split at whitespace outside double quotes, with the quotes removed.
    private static func words(_ text: String) throws(CoveError) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
                started = true
            } else if character.isWhitespace && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        guard !quoted else { throw CoveError(.invalidInput, "unterminated quote in: \(text)") }
        if started { words.append(current) }
        return words
    }
}
