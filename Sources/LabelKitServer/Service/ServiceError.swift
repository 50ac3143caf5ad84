/// An error the service answers with a status and a problem body (see
/// ``Problem``), naming what went wrong.
public struct ServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// What went wrong, naming the parameter, identifier or limit.
    public var message: String
    /// Seconds after which a retry may succeed (503).
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ status: Int, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status): \(message)" }
}
