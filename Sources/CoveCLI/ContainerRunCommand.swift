import ArgumentParser
import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// `cove container run`: creates and starts a container. Detached (`-d`) it prints the id;
/// otherwise it prints the container's output as it comes and exits with its exit code, or,
/// as `docker run` does, 125 when the engine fails, 126 when the command cannot be executed
/// and 127 when it is not found.
struct ContainerRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Create and run a new container.")

    @ParentCommand var root: CoveCommand
    @OptionGroup var options: ContainerCreateOptions

    @Flag(name: .shortAndLong, help: "Run in the background and print the container's id.")
    var detach = false

    @Flag(help: "Remove the container when it exits.")
    var rm = false

    @Flag(name: .shortAndLong, help: "Keep the container's standard input open and send this one's to it.")
    var interactive = false

    func validate() throws {
        if detach && interactive { throw ValidationError("-d and -i cannot be combined") }
        if rm, let restart = options.lifecycle.restart, restart != "no" {
            throw ValidationError("Conflicting options: --restart and --rm")
        }
    }

    func run() async throws {
        let client: EngineClient
        let id: String
        do throws(CoveError) {
            client = try await ImageCommandSupport.connect(root)
            // In the foreground the client removes the container itself, after reading its output.
            id = try await options.create(client, autoRemove: rm && detach, interactive: interactive)
        } catch {
            Output.error("error: \(ImageCommandSupport.plain(error))")
            throw ExitCode(125)
        }
        if interactive {
            try await runAttached(client, id: id)
            return
        }
        try await start(client, id: id)
        if detach {
            Output.write(id + "\n")
            return
        }
        let status: Int64
        do throws(CoveError) {
            // Only the request sets a tty, so the flag says how the log stream is framed. The
            // wait goes out beside the log stream, its answer ready when the output ends.
            async let waited = client.send(method: "POST", path: ContainerCommandSupport.path(id, "wait"))
            var output = ContainerCommandSupport.Demultiplexer(raw: options.tty)
            try await client.streamBytes(
                method: "GET", path: ContainerCommandSupport.path(id, "logs"),
                query: [("follow", "1"), ("stdout", "1"), ("stderr", "1")]
            ) { bytes in output.feed(bytes) }
            let answer: EngineResponse
            do {
                answer = try await waited
            } catch {
                throw (error as? CoveError) ?? CoveError(.io, "waiting for the container failed", cause: "\(error)")
            }
            status = try ContainerCommandSupport.decode(ContainerWaitResponse.self, answer.body, what: "wait")
                .statusCode
            if rm { _ = try await client.send(method: "DELETE", path: ContainerCommandSupport.path(id)) }
        } catch {
            Output.error("error: \(ImageCommandSupport.plain(error))")
            throw ExitCode(125)
        }
        if status != 0 { throw ExitCode(Int32(truncatingIfNeeded: status)) }
    }

    /// Starts the container; on failure removes it (with `--rm`) and exits 125, 126 or 127.
    func start(_ client: EngineClient, id: String) async throws {
        do throws(CoveError) {
            _ = try await client.send(method: "POST", path: ContainerCommandSupport.path(id, "start"))
        } catch {
            let plain = ImageCommandSupport.plain(error)
            Output.error("error: \(plain)")
            if rm {
                _ = try? await client.send(
                    method: "DELETE", path: ContainerCommandSupport.path(id), query: [("force", "1")])
            }
            throw ExitCode(Self.startFailureCode(plain.description))
        }
    }

    /// `-i`: attaches (stdin from this process), starts, copies the output until the container
    /// exits, then exits with its code.
    func runAttached(_ client: EngineClient, id: String) async throws {
        let input = AsyncStream<[UInt8]> { continuation in
            Thread.detachNewThread {
                while true {
                    let data = FileHandle.standardInput.availableData
                    if data.isEmpty { break }
                    continuation.yield(Array(data))
                }
                continuation.finish()
            }
        }
        let output = OutputSink(raw: options.tty)
        // With -t on a terminal, keys go to the container's pty as typed (its size went with
        // the create request).
        let terminal = options.tty ? RawTerminal() : nil
        defer { terminal?.restore() }
        let started = StartResult()
        do throws(CoveError) {
            try await client.attach(
                container: id, input: input,
                attached: { () async throws(CoveError) in
                    do throws(CoveError) {
                        _ = try await client.send(method: "POST", path: ContainerCommandSupport.path(id, "start"))
                    } catch {
                        started.failure = ImageCommandSupport.plain(error)
                        throw error
                    }
                }, onOutput: { bytes in output.feed(bytes) })
        } catch {
            let failure = started.failure ?? ImageCommandSupport.plain(error)
            Output.error("error: \(failure)")
            if rm {
                _ = try? await client.send(
                    method: "DELETE", path: ContainerCommandSupport.path(id), query: [("force", "1")])
            }
            throw ExitCode(started.failure.map { Self.startFailureCode($0.description) } ?? 125)
        }
        let status: Int64
        do throws(CoveError) {
            let waited = try await client.send(method: "POST", path: ContainerCommandSupport.path(id, "wait"))
            status = try ContainerCommandSupport.decode(ContainerWaitResponse.self, waited.body, what: "wait")
                .statusCode
            if rm { _ = try await client.send(method: "DELETE", path: ContainerCommandSupport.path(id)) }
        } catch {
            Output.error("error: \(ImageCommandSupport.plain(error))")
            throw ExitCode(125)
        }
        if status != 0 { throw ExitCode(Int32(truncatingIfNeeded: status)) }
    }

    /// Docker's rule: 127 when the engine says the program was not found, 126 when it cannot
    /// be executed, else 125.
    static func startFailureCode(_ message: String) -> Int32 {
        if message.contains("executable file not found") || message.contains("no such file or directory") { return 127 }
        if message.contains("permission denied") || message.contains("is a directory") { return 126 }
        return 125
    }
}

/// The demultiplexer behind a lock, for output that arrives on the attach connection's task.
final class OutputSink: @unchecked Sendable {
    private let lock = NSLock()
    private var demultiplexer: ContainerCommandSupport.Demultiplexer

    init(raw: Bool) {
        demultiplexer = ContainerCommandSupport.Demultiplexer(raw: raw)
    }

    func feed(_ bytes: [UInt8]) {
        lock.withLock { demultiplexer.feed(bytes) }
    }
}

/// The start's failure, if any, seen from the attach callback.
final class StartResult: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CoveError?

    var failure: CoveError? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
