import ArgumentParser
import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// `cove container exec`: runs a command in a running container, as `docker exec` does. In the
/// foreground it prints the command's output and exits with its exit code (126 when it cannot be
/// executed, 127 when it is not found, 125 when the engine refuses); `-d` only starts it.
struct ContainerExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run a command in a running container.")

    @ParentCommand var root: CoveCommand

    @Flag(name: .shortAndLong, help: "Run the command in the background.")
    var detach = false

    @Flag(name: .shortAndLong, help: "Send this process's standard input to the command.")
    var interactive = false

    @Flag(name: .shortAndLong, help: "Give the command a pseudo-terminal.")
    var tty = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Set an environment variable.", valueName: "KEY=value"))
    var env: [String] = []

    @Option(
        name: .shortAndLong, help: ArgumentHelp("User name or uid, with an optional group.", valueName: "user[:group]"))
    var user: String?

    @Option(name: .shortAndLong, help: "Working directory inside the container.")
    var workdir: String?

    @Flag(help: "Give the command extended privileges.")
    var privileged = false

    @Argument(help: "The container.")
    var container: String

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("a command is required") }
        if detach && interactive { throw ValidationError("-d and -i cannot be combined") }
    }

    func run() async throws {
        let client: EngineClient
        let id: String
        do throws(CoveError) {
            client = try await ImageCommandSupport.connect(root)
            var request = ExecCreateRequest(cmd: command)
            request.env = env.isEmpty ? nil : env
            request.user = user
            request.workingDir = workdir
            request.tty = tty
            request.attachStdin = interactive
            request.attachStdout = !detach
            request.attachStderr = !detach
            request.privileged = privileged
            let created = try await client.send(
                method: "POST", path: ContainerCommandSupport.path(container, "exec"),
                body: try Self.encode(request))
            id = try ContainerCommandSupport.decode(ExecCreateResponse.self, created.body, what: "exec").id
        } catch {
            Output.error("error: \(ImageCommandSupport.plain(error))")
            throw ExitCode(125)
        }
        if detach {
            do throws(CoveError) {
                let body = Array(#"{"Detach":true,"Tty":\#(tty)}"#.utf8)
                _ = try await client.send(method: "POST", path: "/exec/\(id)/start", body: body)
            } catch {
                let plain = ImageCommandSupport.plain(error)
                Output.error("error: \(plain)")
                throw ExitCode(ContainerRunCommand.startFailureCode(plain.description))
            }
            return
        }
        try await runAttached(client, id: id)
    }

    /// Joins the exec (the engine starts it then), copies its output until it ends, and exits
    /// with its code.
    func runAttached(_ client: EngineClient, id: String) async throws {
        let interactive = interactive
        let input = AsyncStream<[UInt8]> { continuation in
            guard interactive else {
                continuation.finish()
                return
            }
            Thread.detachNewThread {
                while true {
                    let data = FileHandle.standardInput.availableData
                    if data.isEmpty { break }
                    continuation.yield(Array(data))
                }
                continuation.finish()
            }
        }
        let output = OutputSink(raw: tty)
        let terminal = tty && interactive ? RawTerminal() : nil
        let status: Int
        do throws(CoveError) {
            do throws(CoveError) {
                try await client.startExec(
                    id, tty: tty, consoleSize: tty ? RawTerminal.size() : nil, input: input
                ) { bytes in output.feed(bytes) }
            } catch {
                terminal?.restore()
                throw error
            }
            terminal?.restore()
            let inspected = try await client.send(method: "GET", path: "/exec/\(id)/json")
            status = try ContainerCommandSupport.decode(ExecInspect.self, inspected.body, what: "exec").exitCode ?? 0
        } catch {
            Output.error("error: \(ImageCommandSupport.plain(error))")
            throw ExitCode(125)
        }
        if status != 0 { throw ExitCode(Int32(truncatingIfNeeded: status)) }
    }

    static func encode(_ request: ExecCreateRequest) throws(CoveError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(request))
        } catch {
            throw CoveError(.internalError, "cannot encode the exec request", cause: "\(error)")
        }
    }
}
