import CoveCore
import NIOCore

/// A request body delivered as it arrives, for routes that take large uploads (`docker import`).
///
/// Chunks are buffered up to a high watermark; past it the connection stops reading from the
/// socket until the route has consumed down to the low watermark, so a fast client cannot make
/// the daemon hold more than a few chunks in memory. When the client disconnects before the
/// body's end, iteration throws a `CoveError`.
public struct RequestBodyStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BodyDemand
    >

    let producer: Producer

    /// An iterator over the chunks; it belongs to one task.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        public mutating func next() async throws -> ByteBuffer? {
            try await base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    /// A stream and the source that feeds it; `demand` is told when the consumer wants more.
    static func make(demand: BodyDemand) -> (stream: RequestBodyStream, source: Producer.Source) {
        let made = Producer.makeSequence(
            elementType: ByteBuffer.self, failureType: (any Error).self,
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: false,
            delegate: demand)
        return (RequestBodyStream(producer: made.sequence), made.source)
    }

    /// A stream over chunks given in advance, for tests.
    public static func chunks(_ chunks: [[UInt8]], failing error: CoveError? = nil) -> RequestBodyStream {
        let made = make(demand: BodyDemand(produceMore: {}, terminated: {}))
        _ = made.source.yield(contentsOf: chunks.map { ByteBuffer(bytes: $0) })
        if let error {
            made.source.finish(error)
        } else {
            made.source.finish()
        }
        return made.stream
    }
}

/// Tells the connection when the body's consumer wants more (resume reading) or has gone.
final class BodyDemand: NIOAsyncSequenceProducerDelegate {
    private let onProduceMore: @Sendable () -> Void
    private let onTerminate: @Sendable () -> Void

    init(produceMore: @escaping @Sendable () -> Void, terminated: @escaping @Sendable () -> Void) {
        onProduceMore = produceMore
        onTerminate = terminated
    }

    func produceMore() { onProduceMore() }

    func didTerminate() { onTerminate() }
}
