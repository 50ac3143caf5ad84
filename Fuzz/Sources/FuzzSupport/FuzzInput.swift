/// Reads typed values from the front of a fuzzer input, then hands out the rest.
///
/// Reads past the end give zeros, so every input (even an empty one) maps to some
/// parameters and the fuzzer never has to learn a minimum length.
///
///     var input = FuzzInput(data, size)
///     let width = 1 + Int(input.uint16() % 256)
///     let rle = input.rest
public struct FuzzInput {
    /// The unread bytes.
    public private(set) var bytes: ArraySlice<UInt8>

    /// Copies the input that libFuzzer passes to `LLVMFuzzerTestOneInput`.
    public init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        if let data, count > 0 {
            bytes = ArraySlice(UnsafeBufferPointer(start: data, count: count))
        } else {
            bytes = []
        }
    }

    /// Wraps bytes (for replaying an input in tests).
    public init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    /// The next byte, or 0 at the end.
    public mutating func uint8() -> UInt8 { bytes.popFirst() ?? 0 }

    /// The next two bytes, little-endian.
    public mutating func uint16() -> UInt16 { UInt16(uint8()) | UInt16(uint8()) << 8 }

    /// The next four bytes, little-endian.
    public mutating func uint32() -> UInt32 { UInt32(uint16()) | UInt32(uint16()) << 16 }

    /// Everything not read yet.
    public var rest: [UInt8] { Array(bytes) }

    /// Everything not read yet, as text (invalid UTF-8 repaired with U+FFFD).
    public var restString: String { String(decoding: bytes, as: UTF8.self) }
}
