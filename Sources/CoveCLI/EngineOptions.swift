import ArgumentParser

/// The flag that chooses the engine, shared by every command that talks to one.
public struct EngineOptions: ParsableArguments {
    @Option(
        name: [.customShort("H"), .customLong("host")],
        help: ArgumentHelp(
            "Engine socket to connect to (default: $COVE_HOST, else $DOCKER_HOST, else unix:///run/cove/cove.sock).",
            valueName: "unix:///path"))
    public var host: String?

    public init() {}
}
