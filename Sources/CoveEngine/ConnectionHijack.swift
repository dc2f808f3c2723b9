import Foundation

/// A connection taken over after its response head, as Docker's attach does: the client's bytes
/// go to the UNIX socket at `socketPath`, the socket's bytes to the client.
public struct ConnectionHijack: Sendable, Equatable {
    public var socketPath: String
    /// `Content-Type` of the raw stream (multiplexed or raw).
    public var contentType: String
    /// Called when the client closes its sending side (the end of its stdin).
    public var inputClosed: @Sendable () -> Void
    /// Run once the socket is joined to the client and before the socket is read (an exec is
    /// started then, so that none of its output is lost); the bytes it returns go to the client
    /// first (why an exec could not start).
    public var joined: (@Sendable () async -> [UInt8])?
    private let id = UUID()

    public init(
        socketPath: String, contentType: String, inputClosed: @escaping @Sendable () -> Void,
        joined: (@Sendable () async -> [UInt8])? = nil
    ) {
        self.socketPath = socketPath
        self.contentType = contentType
        self.inputClosed = inputClosed
        self.joined = joined
    }

    public static func == (lhs: ConnectionHijack, rhs: ConnectionHijack) -> Bool { lhs.id == rhs.id }
}
