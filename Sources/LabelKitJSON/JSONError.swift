/// A JSON text that could not be read: the byte offset at fault and what was
/// expected there.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The offset of the byte at fault (0-based).
    public var offset: Int
    /// What is wrong there ("unexpected end of input", "not UTF-8", ...).
    public var reason: String

    /// Creates an error at `offset`.
    public init(offset: Int, _ reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `invalid JSON at byte <offset>: <reason>`.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
