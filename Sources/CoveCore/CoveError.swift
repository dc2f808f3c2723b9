/// The one error type of Cove: a code, a message, and the context that locates it.
///
/// Every user-facing failure is a `CoveError`. The code maps once to an exit status
/// (and later to an HTTP status); the context says where: a file position, a service,
/// an object id.
public struct CoveError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The user's input is wrong: a compose file, a flag value, an environment variable.
        case invalidInput
        /// Something the user named does not exist (a file, a service).
        case notFound
        /// The request clashes with the current state (an image still referenced elsewhere);
        /// the engine answers it with HTTP 409.
        case conflict
        /// Credentials are missing or wrong (a registry refused them); the engine answers it with HTTP 401.
        case unauthorized
        /// Reading or writing a file failed.
        case io
        /// A bug or an unexpected state in Cove itself.
        case internalError
    }

    public var code: Code
    public var message: String
    /// Where in a source file the problem is, when it comes from one.
    public var location: SourceLocation?
    /// The service the problem belongs to, when there is one.
    public var service: String?
    /// A lower-level error that caused this one.
    public var cause: String?

    public init(
        _ code: Code, _ message: String, at location: SourceLocation? = nil,
        service: String? = nil, cause: String? = nil
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.service = service
        self.cause = cause
    }

    /// Shorthand for an input error at a position.
    public static func invalid(_ message: String, at location: SourceLocation?) -> CoveError {
        CoveError(.invalidInput, message, at: location)
    }

    /// The process exit status for this error: 1 for every user-facing failure.
    public var exitCode: Int32 { 1 }

    /// `file:line:col: message (cause)`, as printed on stderr.
    public var description: String {
        var text = ""
        if let location, location.isKnown { text += "\(location): " }
        if let service, !message.contains("service \"\(service)\"") {
            text += "service \"\(service)\": "
        }
        text += message
        if let cause { text += ": \(cause)" }
        return text
    }
}
