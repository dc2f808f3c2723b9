import ArgumentParser

/// `cove container restart`: Restart one or more containers.
struct ContainerRestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart one or more containers.")

    @ParentCommand var root: CoveCommand

    @OptionGroup var options: StopOptions

    func validate() throws { try options.requireContainers(for: "restart") }

    func run() async throws { try await options.post("restart", root: root) }
}
