/// The error thrown by every throwing API of `LabelKitCore`.
///
/// A code says what went wrong; ``message`` says where (the bit offset in an RLE
/// stream, the character in a COCO counts string, the size at fault), so callers can
/// show one actionable line.
///
///     do { _ = try LabelStudioRLE.decodeMask(bytes, width: 2, height: 2) }
///     catch { print(error) }   // "truncated RLE stream: ... at bit 61"
public struct CoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidDimensions, truncatedStream, countMismatch, valueOutOfRange
            case invalidHeader, invalidCounts, sizeMismatch, invalidGeometry
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A width or height is zero, negative, too large, or does not match the data.
        public static let invalidDimensions = Code(.invalidDimensions)
        /// An RLE bit stream ends in the middle of a header or chunk.
        public static let truncatedStream = Code(.truncatedStream)
        /// A stream decodes to a number of values other than the one expected.
        public static let countMismatch = Code(.countMismatch)
        /// A value does not fit the word size (or the byte range) it must be stored in.
        public static let valueOutOfRange = Code(.valueOutOfRange)
        /// An RLE header field is invalid.
        public static let invalidHeader = Code(.invalidHeader)
        /// A COCO counts list or string is malformed.
        public static let invalidCounts = Code(.invalidCounts)
        /// Two operands of a mask operation have different sizes.
        public static let sizeMismatch = Code(.sizeMismatch)
        /// A coordinate is NaN or infinite, or a shape is malformed.
        public static let invalidGeometry = Code(.invalidGeometry)

        /// The code's name, e.g. `truncatedStream`.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation that names the position at fault.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<message> [<code>]"`.
    public var description: String { "\(message) [\(code)]" }
}
