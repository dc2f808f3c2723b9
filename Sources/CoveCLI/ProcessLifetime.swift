import Synchronization

/// Values kept alive until the process exits. Freeing a large project's tree node by node
/// takes longer than the kernel takes to reclaim the whole process (about 50 ms for a
/// 1000-service project), and nothing runs after the command.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    static func keep(_ value: any Sendable) {
        kept.withLock { $0.append(value) }
    }
}
