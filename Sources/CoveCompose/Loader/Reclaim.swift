import Dispatch
import Synchronization

/// Frees large intermediate trees on another thread. The loader builds several versions
/// of a big project's tree one after another; releasing an old one node by node takes
/// milliseconds that a sequential stage would otherwise wait for.
enum Reclaim {
    private static let queue = DispatchQueue(label: "cove.reclaim", qos: .utility)

    /// Takes the last reference to `value` and drops it on the reclaim queue.
    static func later<T: Sendable>(_ value: consuming T) {
        let box = Box(value)
        queue.async { box.drop() }
    }

    /// Holds the value until the queue drops it (whichever thread lets go of the box last,
    /// the value itself is released on the queue).
    private final class Box<T: Sendable>: Sendable {
        private let value: Mutex<T?>
        init(_ value: consuming T) { self.value = Mutex(value) }
        func drop() { value.withLock { $0 = nil } }
    }
}
