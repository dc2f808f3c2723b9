import CoveAPI
import CoveCore
import CoveStore
import Foundation

extension ContainerRoutes {
    var logRoutes: [Route] {
        [
            Route(["GET"], "/containers/{name}/logs") { context in
                await Self.answer { () async throws(CoveError) in try logs(context) }
            }
        ]
    }

    /// One line of the json-file log.
    struct LogLine: Decodable {
        var log: String
        var stream: String
        var time: String
    }

    /// `GET /containers/{id}/logs?stdout=&stderr=&follow=&tail=&timestamps=&since=&until=`:
    /// Docker's multiplexed frames (raw bytes for a tty container), read from the json-file log;
    /// `follow` keeps reading until the container is no longer running.
    func logs(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let stdout = query.bool("stdout")
        let stderr = query.bool("stderr")
        guard stdout || stderr else {
            throw CoveError(.invalidInput, "Bad parameters: you must choose at least one stream")
        }
        let tailText = query["tail"] ?? "all"
        var tailCount: Int?
        if !tailText.isEmpty, tailText != "all" {
            guard let value = Int(tailText) else { throw CoveError(.invalidInput, "invalid tail value: \(tailText)") }
            tailCount = value < 0 ? nil : value
        }
        let tail = tailCount
        let since = try Self.unixTime(query["since"])
        let until = try Self.unixTime(query["until"])
        let record = try service.repository.resolve(context.pathParameter ?? "")
        let tty = (try ContainerService.decode(record.config)).tty ?? false
        let path = service.logPath(record.id)
        let follow = query.bool("follow")
        let timestamps = query.bool("timestamps")
        let service = service
        var response = APIResponse.stream { writer in
            var reader = LogReader(path: path)
            var lines = reader.readLines()
            if let tail { lines = Array(lines.suffix(tail)) }
            var pending = lines
            var schedule = PollSchedule(maximum: .milliseconds(50))
            while true {
                for line in pending {
                    guard let entry = try? JSONDecoder().decode(LogLine.self, from: Data(line.utf8)) else { continue }
                    guard (entry.stream == "stdout" && stdout) || (entry.stream == "stderr" && stderr) else { continue }
                    let time = ContainerRoutes.date(entry.time)?.timeIntervalSince1970 ?? 0
                    if let since, time < since { continue }
                    if let until, time > until { continue }
                    let text = (timestamps ? entry.time + " " : "") + entry.log
                    let bytes = Array(text.utf8)
                    guard await writer.write(tty ? bytes : Self.frame(entry.stream == "stderr" ? 2 : 1, bytes)) else {
                        return
                    }
                }
                guard follow else { return }
                let running = (try? service.repository.container(id: record.id))??.isRunning ?? false
                pending = reader.readLines()
                if !running, pending.isEmpty {
                    return
                }
                if pending.isEmpty {
                    await schedule.pause()
                    try Task.checkCancellation()
                } else {
                    schedule.reset()
                }
            }
        }
        response.setHeader(
            "Content-Type", tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream")
        return response
    }

    /// Docker's frame: the stream (1 stdout, 2 stderr), three zero bytes, the big-endian length.
    static func frame(_ stream: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        let count = UInt32(bytes.count)
        return [
            stream, 0, 0, 0, UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF),
            UInt8(count & 0xFF),
        ]
            + bytes
    }

    /// `since` and `until`: Unix seconds, with an optional fraction; empty or 0 is no bound.
    static func unixTime(_ text: String?) throws(CoveError) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Double(text) else {
            throw CoveError(.invalidInput, "invalid time value \(text): expected Unix seconds")
        }
        return value == 0 ? nil : value
    }
}

/// Reads the complete lines added to a file since the last read.
struct LogReader {
    let path: String
    var offset: UInt64 = 0
    var partial: [UInt8] = []

    init(path: String) {
        self.path = path
    }

    mutating func readLines() -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        if let size = try? handle.seekToEnd(), size < offset { offset = 0 }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else {
            return []
        }
        offset += UInt64(data.count)
        var bytes = partial + Array(data)
        var lines: [String] = []
        while let newline = bytes.firstIndex(of: 0x0A) {
            lines.append(String(decoding: bytes[..<newline], as: UTF8.self))
            bytes.removeSubrange(...newline)
        }
        partial = bytes
        return lines
    }
}
