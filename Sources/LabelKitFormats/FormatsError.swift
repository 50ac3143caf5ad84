import LabelKitJSON
/// The error thrown by `LabelKitFormats` when JSON input is unusable: a code plus a
/// message naming the field (and index) at fault.
public struct FormatsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidJSON, missingField, invalidField, unsupportedRegion
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes are not JSON (the parser's message follows).
        public static let invalidJSON = Code(.invalidJSON)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong type or an out-of-range value.
        public static let invalidField = Code(.invalidField)
        /// A result whose type has no image geometry (or is unknown).
        public static let unsupportedRegion = Code(.unsupportedRegion)

        /// The code's name, e.g. `missingField`.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation naming the field at fault.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<message> [<code>]"`.
    public var description: String { "\(message) [\(code)]" }
}

extension FormatsError {
    /// A JSON syntax error as `.invalidJSON`, its message naming the byte at fault.
    public init(_ error: JSONError) {
        self.init(.invalidJSON, error.description)
    }
}
