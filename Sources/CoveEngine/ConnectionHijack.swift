import Foundation

/// A connection taken over after its response head, as Docker's attach does: the client's bytes
/// go to the UNIX socket at `socketPath`, the socket's bytes to the client.
public struct ConnectionHijack: Sendable, Equatable {
    public var socketPath: String
    /// `Content-Type` of the raw stream (multiplexed or raw).
    public var contentType: String
    /// Called when the client closes its sending side (the end of its stdin).
    public var inputClosed: @Sendable () -> Void
    private let id = UUID()

    public init(socketPath: String, contentType: String, inputClosed: @escaping @Sendable () -> Void) {
        self.socketPath = socketPath
        self.contentType = contentType
        self.inputClosed = inputClosed
    }

    public static func == (lhs: ConnectionHijack, rhs: ConnectionHijack) -> Bool { lhs.id == rhs.id }
}
