import CoveAPI
import CoveCore
import CoveLinux
import Foundation

/// A tar archive the engine streams (`image save`, `container export`): to standard output, which
/// must not be a terminal, or to a file written beside its target and renamed at the end, so a
/// failed download leaves no partial file.
enum TarDownload {
    /// Refuses to write a tar to a terminal, as the docker CLI does.
    static func checkDestination(_ output: String?) throws(CoveError) {
        if output == nil, isatty(STDOUT_FILENO) == 1 {
            throw CoveError(.invalidInput, "cowardly refusing to save to a terminal. Use the -o flag or redirect")
        }
    }

    /// Streams `GET path?query` to `output` (a path), or to standard output when nil.
    static func save(
        _ client: EngineClient, path: String, query: [(name: String, value: String)] = [], to output: String?
    ) async throws {
        guard let output else {
            do throws(CoveError) {
                _ = try await client.download(path: path, query: query, to: FileHandle.standardOutput)
            } catch {
                throw ImageCommandSupport.plain(error)
            }
            return
        }
        let temporary = output + ".cove-\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw CoveError(.io, "cannot create \(output)")
        }
        do throws(CoveError) {
            defer { try? handle.close() }
            _ = try await client.download(path: path, query: query, to: handle)
            try AtomicFile.replace(output, with: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ImageCommandSupport.plain(error)
        }
    }
}
