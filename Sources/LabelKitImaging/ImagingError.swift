/// The error thrown by `LabelKitImaging`: a code plus a message that names the
/// file or the limit at fault.
public struct ImagingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidImage, tooLarge, unsupported, invalidArgument, io, cancelled, scanLimit
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes are not a valid image of the expected format (libpng's or libjpeg's
        /// message follows), or the file is truncated.
        public static let invalidImage = Code(.invalidImage)
        /// The image exceeds a pixel limit; refused before decoding.
        public static let tooLarge = Code(.tooLarge)
        /// A valid image in a layout this operation does not handle.
        public static let unsupported = Code(.unsupported)
        /// A parameter is out of range (a size of 0, a JPEG quality above 100, ...).
        public static let invalidArgument = Code(.invalidArgument)
        /// Reading or writing a file failed (the system's message follows).
        public static let io = Code(.io)
        /// The work stopped because its ``CancellationFlag`` was raised.
        public static let cancelled = Code(.cancelled)
        /// A JPEG has more scans than its decoder accepts (a scan bomb: each scan,
        /// however small in bytes, costs a walk over every block); refused at the
        /// first scan over the limit. The message names the limit.
        public static let scanLimit = Code(.scanLimit)

        /// The code's name, e.g. `invalidImage`.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<message> [<code>]"`.
    public var description: String { "\(message) [\(code)]" }
}
