import ArgumentParser

/// `cove container stop`: Stop one or more running containers (the stop signal, then SIGKILL after the timeout).
struct ContainerStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop one or more running containers (the stop signal, then SIGKILL after the timeout).")

    @ParentCommand var root: CoveCommand

    @OptionGroup var options: StopOptions

    func validate() throws { try options.requireContainers(for: "stop") }

    func run() async throws { try await options.post("stop", root: root) }
}
