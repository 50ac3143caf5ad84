/// A IIIF request that cannot be served, with the HTTP status the Image API
/// prescribes: 400 for bad syntax or values, 404 for an unknown identifier,
/// 501 for a valid request the service does not implement.
public struct IIIFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// What is wrong, naming the parameter.
    public var message: String

    /// Creates an error.
    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 400 Bad Request.
    static func bad(_ message: String) -> IIIFError { IIIFError(400, message) }

    public var description: String { "\(status): \(message)" }
}
