import CoveAPI
import CoveCore
import Foundation

/// `GET /events?since=&until=&filters=`: Docker's event messages, one JSON object a line, as a
/// chunked stream. The recent events at or after `since` come first, then new ones as they
/// happen, until `until` has passed or the client leaves. An `until` in the past ends the
/// stream after the recent events.
public struct EventRoutes: Sendable {
    public let bus: EventBus
    /// How often the stream looks for new events, the end of `until` and a departed client.
    let pollInterval: Duration = .milliseconds(50)

    public init(bus: EventBus) {
        self.bus = bus
    }

    public var routes: [Route] {
        [
            Route(["GET"], "/events") { context in
                await ContainerRoutes.answer { () async throws(CoveError) in try events(context) }
            }
        ]
    }

    func events(_ context: RouteContext) throws(CoveError) -> APIResponse {
        let query = QueryParameters(context.request.query)
        let filter = try EventFilter(try query.filters())
        let since = try Self.unixNanoseconds(query["since"], name: "since")
        let until = try Self.unixNanoseconds(query["until"], name: "until")
        if let since, let until, since > until {
            throw CoveError(
                .invalidInput,
                "since time (\(query["since"] ?? "")) cannot be after until time (\(query["until"] ?? ""))")
        }
        let bus = bus
        let interval = pollInterval
        return .stream { writer in
            let (token, recent) = bus.subscribe()
            defer { bus.unsubscribe(token) }
            let isDone = { (time: Int64) in until.map { time > $0 } ?? false }
            if let since {
                for event in recent where event.timeNano >= since && filter.includes(event) {
                    if isDone(event.timeNano) { return }
                    guard await writer.writeLine(event) else { return }
                }
            }
            while true {
                for event in bus.drain(token) where filter.includes(event) {
                    if isDone(event.timeNano) { return }
                    guard await writer.writeLine(event) else { return }
                }
                if isDone(Self.nowNanoseconds()) { return }
                if await writer.clientGone { return }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Docker's timestamps: Unix seconds with an optional fraction (`1700000000.123456789`);
    /// empty is no bound.
    static func unixNanoseconds(_ text: String?, name: String) throws(CoveError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts.count > 1 ? String(parts[1]) : ""
        guard let seconds = Int64(parts[0]), digits.count <= 9, digits.allSatisfy(\.isASCII),
            digits.allSatisfy(\.isNumber),
            seconds < Int64.max / 1_000_000_000
        else {
            throw CoveError(.invalidInput, "invalid value for \(name): \(text): expected Unix seconds")
        }
        let fraction = Int64(digits.padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0
        return seconds * 1_000_000_000 + fraction
    }

    static func nowNanoseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    }
}
