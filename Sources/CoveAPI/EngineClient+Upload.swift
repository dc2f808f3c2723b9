import CoveCore
import Foundation
import NIOHTTP1

extension EngineClient {
    /// Sends `method` to the versioned `path` with `query` parameters and the contents of `bodyFile`
    /// as the body, streamed in chunks rather than read into memory first.
    ///
    /// The body runs from the handle's current position to its end. When `length` is known (a regular
    /// file) it is sent as `Content-Length`; when it is `nil` (a pipe such as stdin) the body is sent
    /// with chunked transfer encoding.
    ///
    /// - Returns: the answer when its status is below 400.
    /// - Throws: `CoveError` as `send(method:path:query:body:timeout:)` does; a failure to read the
    ///   file is a transport failure of the exchange.
    public func send(
        method: String, path: String, query: [(name: String, value: String)] = [], bodyFile: FileHandle,
        length: Int64?, contentType: String = "application/x-tar", timeout: Duration? = nil
    ) async throws(CoveError) -> EngineResponse {
        guard path.hasPrefix("/") else { throw CoveError(.internalError, "API path \(path) does not start with /") }
        let target = "/v\(apiVersion)" + path + Self.queryString(query)
        var headers = HTTPHeaders([("Content-Type", contentType)])
        if let length {
            headers.add(name: "Content-Length", value: String(length))
        } else {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        }
        let response = try await exchange(
            method: HTTPMethod(rawValue: method), target: target, headers: headers, body: .file(bodyFile),
            timeout: timeout)
        guard response.status < 400 else { throw Self.error(for: response, request: "\(method) \(target)") }
        return response
    }

    /// Opens `path` for an upload: the handle and its size when it is a regular file (`nil` for a pipe,
    /// a FIFO or a character device, whose length is unknown until read).
    ///
    /// - Throws: `CoveError` (`.notFound` when nothing is at `path`, `.io` when it cannot be opened).
    public static func openUpload(_ path: String) throws(CoveError) -> (handle: FileHandle, length: Int64?) {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw CoveError(.notFound, "open \(path): no such file or directory")
        }
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            throw CoveError(.invalidInput, "\(path) is a directory, not a tar archive")
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw CoveError(.io, "cannot open \(path)", cause: "\(error)")
        }
        let isRegular = attributes[.type] as? FileAttributeType == .typeRegular
        let size = (attributes[.size] as? NSNumber)?.int64Value
        return (handle, isRegular ? size : nil)
    }
}
