/// Scanning helpers for runs of equal bytes in contiguous memory.
enum ByteRuns {
    /// Returns the first index in `start..<end` whose byte differs from `value`, or `end`.
    ///
    /// Compares 32 bytes per step with 64-bit XORs, so long runs cost about a
    /// cycle per 8 bytes.
    @inlinable @inline(__always)
    static func end(
        of value: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int
    ) -> Int {
        let pattern = UInt64(value) &* 0x0101_0101_0101_0101
        let raw = UnsafeRawPointer(base)
        var i = start
        while i &+ 32 <= end {
            let a = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ pattern
            let b = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)) ^ pattern
            let c = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)) ^ pattern
            let d = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)) ^ pattern
            if (a | b | c | d) != 0 {
                if a != 0 { return i &+ (a.trailingZeroBitCount &>> 3) }
                if b != 0 { return i &+ 8 &+ (b.trailingZeroBitCount &>> 3) }
                if c != 0 { return i &+ 16 &+ (c.trailingZeroBitCount &>> 3) }
                return i &+ 24 &+ (d.trailingZeroBitCount &>> 3)
            }
            i &+= 32
        }
        while i &+ 8 <= end {
            let a = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ pattern
            if a != 0 { return i &+ (a.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < end && base[i] == value { i &+= 1 }
        return i
    }
}
