/// The pauses of a loop that polls for a change (a container's exit, new log lines): 1 ms at
/// first, doubled after each idle round up to `maximum`, so a short-lived container is seen
/// ending within milliseconds while a long-running one costs one read per `maximum`.
struct PollSchedule: Sendable {
    let maximum: Duration
    /// The pause the next `pause()` sleeps.
    private(set) var next: Duration = .milliseconds(1)

    init(maximum: Duration) {
        self.maximum = maximum
    }

    /// Sleeps for the current pause, then doubles it (up to `maximum`).
    mutating func pause() async {
        try? await Task.sleep(for: next)
        next = min(next * 2, maximum)
    }

    /// Back to the shortest pause: something changed, more may follow soon.
    mutating func reset() { next = .milliseconds(1) }
}
