/// The exit codes of the most recently removed containers, for `wait?condition=removed`: a waiter
/// that polls after the removal still answers with the code. Bounded, so that a daemon removing
/// containers for months does not keep one entry per container it ever removed: it holds the last
/// `capacity` to `2 × capacity` of them (the oldest half goes at once, so recording stays cheap).
struct RecentExitCodes: Sendable {
    let capacity: Int
    private var codes: [String: Int32] = [:]
    /// The ids in the order they were first recorded.
    private var order: [String] = []

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// How many exit codes are held.
    var count: Int { codes.count }

    subscript(id: String) -> Int32? { codes[id] }

    mutating func record(_ id: String, exitCode: Int32) {
        if codes.updateValue(exitCode, forKey: id) == nil { order.append(id) }
        guard order.count >= 2 * capacity else { return }
        let dropped = order.count - capacity
        for old in order[..<dropped] { codes[old] = nil }
        order.removeFirst(dropped)
    }
}
