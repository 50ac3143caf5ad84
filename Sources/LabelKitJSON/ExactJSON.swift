import Foundation

/// A JSON reader that keeps every number exactly: `Double` values are parsed from
/// their text with correct rounding (the platform's `JSONSerialization` on Linux
/// goes through `Decimal` and is off by an ulp for about one number in five, which
/// moves COCO polygon edges and breaks byte parity).
///
/// Produces Foundation-compatible values: `[String: Any]`, `[Any]`, `String`,
/// `Int` (integers that fit), `Double`, `NSNumber` booleans and `NSNull`; numbers
/// stay Swift values (no object per number) and still cast `as? NSNumber`. Python's
/// `NaN`, `Infinity` and `-Infinity` literals are accepted (as doubles), so the
/// value that holds one can be reported precisely.
public enum ExactJSON {
    /// Parses a complete JSON text (UTF-8, as RFC 8259 requires).
    ///
    /// - Throws: ``JSONError`` naming the byte offset at fault (a syntax error, or a
    ///   byte that is not UTF-8).
    public static func parse(_ data: Data) throws(JSONError) -> Any {
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> Any in
            if let offset = UTF8Check.firstInvalidByte(in: buffer) {
                throw JSONError(offset: offset, "not UTF-8")
            }
            var parser = Parser(bytes: buffer)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else {
                throw parser.error("unexpected text after the JSON value")
            }
            return value
        }
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        static let maxDepth = 512

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func error(_ message: String) -> JSONError {
            JSONError(offset: position, message)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                let b = bytes[position]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                position += 1
            }
        }

        mutating func value(depth: Int) throws(JSONError) -> Any {
            guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return try string()
            case UInt8(ascii: "t"): return try literal("true", NSNumber(value: true))
            case UInt8(ascii: "f"): return try literal("false", NSNumber(value: false))
            case UInt8(ascii: "n"): return try literal("null", NSNull())
            // Python's json.dumps writes these; accepted so the region at fault can be named.
            case UInt8(ascii: "N"): return try literal("NaN", NSNumber(value: Double.nan))
            case UInt8(ascii: "I"): return try literal("Infinity", NSNumber(value: Double.infinity))
            case UInt8(ascii: "-") where position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "I"):
                position += 1
                return try literal("Infinity", NSNumber(value: -Double.infinity))
            default: return try number()
            }
        }

        mutating func literal(_ text: StaticString, _ result: Any) throws(JSONError) -> Any {
            let count = text.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("unexpected end of input") }
            for i in 0..<count where bytes[position + i] != text.utf8Start[i] {
                throw error("unexpected character")
            }
            position += count
            return result
        }

        mutating func object(depth: Int) throws(JSONError) -> Any {
            position += 1
            var result: [String: Any] = [:]
            skipWhitespace()
            if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
                position += 1
                return result
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a string key")
                }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                position += 1
                skipWhitespace()
                result[key] = try value(depth: depth + 1)
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return result
                } else {
                    throw error("expected ',' or '}'")
                }
            }
        }

        /// Arrays of integers only (brush RLE, COCO counts) come back as `[Int]`,
        /// one allocation for the whole array; anything else (a fraction, an
        /// exponent, an integer beyond `Int`) as `[Any]`.
        mutating func array(depth: Int) throws(JSONError) -> Any {
            position += 1
            var result: [Any] = []
            skipWhitespace()
            if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                position += 1
                return result
            }
            var ints: [Int] = []
            var allInts = true
            while true {
                skipWhitespace()
                if allInts {
                    if let int = integer() {
                        ints.append(int)
                    } else {
                        allInts = false
                        result = ints.map { $0 as Any }
                        result.append(try value(depth: depth + 1))
                    }
                } else {
                    result.append(try value(depth: depth + 1))
                }
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return allInts ? ints : result
                } else {
                    throw error("expected ',' or ']'")
                }
            }
        }

        /// A plain integer that fits `Int` (no fraction or exponent, no leading zero)
        /// read straight from the bytes; nil (position unchanged) for anything else,
        /// which ``number()`` then reads or refuses. Digits are accumulated as a
        /// negative value, so `Int.min` fits and overflow is caught digit by digit.
        mutating func integer() -> Int? {
            var p = position
            var negative = false
            if p < bytes.count && bytes[p] == UInt8(ascii: "-") {
                negative = true
                p += 1
            }
            let first = p
            var value = 0
            while p < bytes.count, bytes[p] >= UInt8(ascii: "0"), bytes[p] <= UInt8(ascii: "9") {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(Int(bytes[p] - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                value = next
                p += 1
            }
            guard p > first, bytes[first] != UInt8(ascii: "0") || p == first + 1 else { return nil }
            if p < bytes.count {
                let next = bytes[p]
                if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
            }
            if !negative {
                guard value != Int.min else { return nil }
                value = -value
            }
            position = p
            return value
        }

        mutating func string() throws(JSONError) -> String {
            position += 1
            let start = position
            // Fast path: no escapes.
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw error("control character in a string") }
                position += 1
            }
            var scalars = [UInt8](bytes[start..<min(position, bytes.count)])
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                if b == UInt8(ascii: "\"") { return String(decoding: scalars, as: UTF8.self) }
                if b < 0x20 { throw error("control character in a string") }
                guard b == UInt8(ascii: "\\") else {
                    scalars.append(b)
                    continue
                }
                guard position < bytes.count else { break }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(e)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    {
                        position += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalars += Array(String(Character(Unicode.Scalar(0xFFFD)!)).utf8)
                            code = low
                        }
                    }
                    let scalar = Unicode.Scalar(code) ?? Unicode.Scalar(0xFFFD)!
                    scalars += Array(String(Character(scalar)).utf8)
                default:
                    throw error("invalid escape")
                }
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws(JSONError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        mutating func number() throws(JSONError) -> Any {
            let start = position
            var isInteger = true
            if position < bytes.count && bytes[position] == UInt8(ascii: "-") { position += 1 }
            let digitsStart = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                position += 1
            }
            guard position > digitsStart else { throw error("unexpected character") }
            // RFC 8259: an integer part is 0 or starts with 1...9 ("01" is not JSON).
            if bytes[digitsStart] == UInt8(ascii: "0") && position - digitsStart > 1 {
                position = digitsStart + 1
                throw error("leading zero in a number")
            }
            if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                let fraction = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                    position += 1
                }
                guard position > fraction else { throw error("digits expected after '.'") }
            }
            if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
                isInteger = false
                position += 1
                if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                    position += 1
                }
                let exponent = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                    position += 1
                }
                guard position > exponent else { throw error("digits expected in the exponent") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if isInteger, let int = Int(text) { return int }
            // Out-of-range values become infinities (checked where they are used).
            guard let double = Double(text) else { throw error("malformed number") }
            return double
        }
    }
}
