/// Compose's project flags (`-f`, `-p`, `--project-directory`, `--profile`, `--env-file`)
/// belong to the Compose commands, yet users write them before the command name, as with
/// `docker compose -f a.yaml config`. Declaring them on the root command would make the
/// root take every `-f`, also `cove image rm -f`. So the Compose commands declare them,
/// and leading project flags are moved behind the command name before parsing.
enum ProjectArguments {
    /// The commands that load a Compose project.
    static let composeCommands: Set<String> = ["config", "graph"]

    /// Project flags that take a value.
    static let valueFlags: Set<String> = [
        "-f", "--file", "-p", "--project-name", "--project-directory", "--profile", "--env-file",
    ]

    /// Root flags that take a value and stay in front (`--host`).
    static let rootValueFlags: Set<String> = ["-H", "--host"]

    /// `arguments` with the project flags written before a Compose command moved after it;
    /// unchanged when the command is not a Compose command (the parser then rejects them).
    static func reordered(_ arguments: [String]) -> [String] {
        var root: [String] = []
        var project: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if valueFlags.contains(argument) || rootValueFlags.contains(argument) {
                let pair = Array(arguments[index..<min(index + 2, arguments.count)])
                if valueFlags.contains(argument) { project += pair } else { root += pair }
                index += pair.count
            } else if let name = argument.split(separator: "=", maxSplits: 1).first,
                argument.hasPrefix("--"), argument.contains("="), valueFlags.contains(String(name))
            {
                project.append(argument)
                index += 1
            } else if argument.hasPrefix("-"), argument != "-" {
                root.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !project.isEmpty, index < arguments.count, composeCommands.contains(arguments[index]) else {
            return arguments
        }
        return root + [arguments[index]] + project + arguments[(index + 1)...]
    }
}
