/// Finds the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), so a JSON text in another encoding is
/// refused with the byte at fault instead of being read with replacement
/// characters.
enum UTF8Check {
    /// The offset of the first invalid byte, or nil when all of `bytes` is UTF-8.
    ///
    /// - Complexity: O(bytes); ASCII runs are checked eight bytes at a time.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < count {
            if i + 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var scalar: UInt32
            let smallest: UInt32
            switch lead {
            case 0xC0...0xDF: (length, scalar, smallest) = (2, UInt32(lead & 0x1F), 0x80)
            case 0xE0...0xEF: (length, scalar, smallest) = (3, UInt32(lead & 0x0F), 0x800)
            case 0xF0...0xF7: (length, scalar, smallest) = (4, UInt32(lead & 0x07), 0x10000)
            default: return i
            }
            guard i + length <= count else { return i }
            for k in 1..<length {
                let next = base[i + k]
                guard next & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= smallest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return i }
            i += length
        }
        return nil
    }
}
