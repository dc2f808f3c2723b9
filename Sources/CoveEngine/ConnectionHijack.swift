import Foundation

/// A connection taken over after its response head, as Docker's attach does: the client's bytes
/// go to the UNIX socket at `socketPath`, the socket's bytes to the client.
public struct ConnectionHijack: Sendable, Equatable {
    public var socketPath: String
    /// `Content-Type` of the raw stream (multiplexed or raw).
    public var contentType: String
    /// Called when the client closes its sending side (the end of its stdin).
    public var inputClosed: @Sendable () -> Void
    /// Called once the socket is joined to the client, before the socket is read (an exec is
    /// started then, so that none of its output is lost); `send` writes bytes to the client.
    public var joined: (@Sendable (_ send: @escaping @Sendable ([UInt8]) -> Void) -> Void)?
    private let id = UUID()

    public init(
        socketPath: String, contentType: String, inputClosed: @escaping @Sendable () -> Void,
        joined: (@Sendable (_ send: @escaping @Sendable ([UInt8]) -> Void) -> Void)? = nil
    ) {
        self.socketPath = socketPath
        self.contentType = contentType
        self.inputClosed = inputClosed
        self.joined = joined
    }

    public static func == (lhs: ConnectionHijack, rhs: ConnectionHijack) -> Bool { lhs.id == rhs.id }
}
