/// Steps over JSON text without reading it: the end of a string literal or of
/// a bracketed value, strings (and the brackets inside them) respected. The
/// journal and task-id scanners use it to find their way through trusted or
/// checked-later bytes without parsing.
enum JSONSkip {
    /// The position after the string literal whose opening quote is at `start`,
    /// or nil when it is not closed before `end`.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int? {
        var position = start + 1
        while position < end {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 2
            case UInt8(ascii: "\""): return position + 1
            default: position += 1
            }
        }
        return nil
    }

    /// The position after the bracket that closes the one just before `start`,
    /// or nil when the text ends first.
    static func bracketed(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int? {
        var depth = 1
        var position = start
        while position < end {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                guard let next = string(bytes, from: position, end: end) else { return nil }
                position = next
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return position + 1 }
            default:
                break
            }
            position += 1
        }
        return nil
    }
}
