import CoveCore
import CoveLinux
import Foundation
import Synchronization

/// A tar archive written on a thread of its own into a pipe, and sent to the client as it comes
/// out (`docker export`, `docker cp` out of a container). An archive that fails part way ends
/// the response without its last chunk, so the client sees it cut short.
///
/// A client that goes away does not close the pipe early: the rest is read and dropped, since
/// the writer would otherwise get `SIGPIPE`, which the daemon does not ignore.
enum TarStream {
    static func response(
        name: String, headers: [HTTPField] = [], write: @escaping @Sendable (ArchiveWriter) throws(CoveError) -> Void
    ) -> APIResponse {
        var response = APIResponse(status: 200, headers: [HTTPField("Content-Type", "application/x-tar")] + headers)
        response.stream = ResponseStream { writer in
            let pipe = Pipe()
            let failure = Mutex<CoveError?>(nil)
            let readEnd = pipe.fileHandleForReading
            let writeEnd = pipe.fileHandleForWriting
            // A thread of its own: the writer blocks on the pipe until the reader below drains it.
            Thread {
                do throws(CoveError) {
                    let archive = try ArchiveWriter(descriptor: writeEnd.fileDescriptor, name: name)
                    try write(archive)
                    try archive.finish()
                } catch {
                    failure.withLock { $0 = error }
                }
                try? writeEnd.close()
            }.start()
            defer { try? readEnd.close() }
            var clientGone = false
            while true {
                let chunk = try await ContainerService.blocking { () throws(CoveError) in
                    do {
                        return try readEnd.read(upToCount: 1 << 20) ?? Data()
                    } catch {
                        throw CoveError(.io, "cannot read the archive \(name)", cause: "\(error)")
                    }
                }
                if chunk.isEmpty { break }
                if !clientGone { clientGone = !(await writer.write(Array(chunk))) }
            }
            if let error = failure.withLock({ $0 }) { throw error }
        }
        return response
    }
}
