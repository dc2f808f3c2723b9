/// What went wrong below HTTP in one exchange, for the caller to turn into a `CoveError` in its own words.
public enum HTTPClientFailure: Error {
    /// The connection could not be made (`connect` failed).
    case connect(any Error)
    /// The response did not complete within the time limit, or stalled longer than the idle limit.
    case timedOut
    /// The server closed the connection before a complete response.
    case incomplete
    /// The response body exceeded the size the caller accepts.
    case tooLarge
    /// Any other transport error after connecting, or an error thrown by the caller's response handler.
    case transport(any Error)
}
