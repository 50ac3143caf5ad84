/// Reads bit fields, most significant bit first, from a byte buffer.
///
/// Every read is bounds-checked against the stream length and reports the bit
/// offset where the stream ended, so a truncated stream is an error, never a trap.
@usableFromInline
struct BitReader {
    @usableFromInline let base: UnsafeRawBufferPointer
    @usableFromInline let bitLength: Int
    /// Offset of the next bit to read.
    @usableFromInline var position: Int = 0

    @inlinable
    init(_ base: UnsafeRawBufferPointer) {
        self.base = base
        self.bitLength = base.count &* 8
    }

    /// Bits left in the stream.
    @inlinable
    var remaining: Int { bitLength - position }

    /// Reads `width` bits (1...32) as an unsigned value.
    ///
    /// - Throws: `.truncatedStream` naming the bit offset when fewer bits remain.
    @inlinable @inline(__always)
    mutating func read(_ width: Int, _ what: StaticString) throws(CoreError) -> UInt32 {
        guard position &+ width <= bitLength else {
            throw CoreError(
                .truncatedStream,
                "truncated RLE stream: \(what) needs \(width) bits at bit \(position), "
                    + "but the stream has \(bitLength) bits")
        }
        let byteIndex = position &>> 3
        let shift = position & 7
        let window: UInt64
        if byteIndex &+ 8 <= base.count {
            window = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
        } else {
            var w: UInt64 = 0
            var i = 0
            while i < 8 {
                let b = byteIndex &+ i < base.count ? base[byteIndex &+ i] : 0
                w = (w << 8) | UInt64(b)
                i &+= 1
            }
            window = w
        }
        position &+= width
        return UInt32(truncatingIfNeeded: (window << UInt64(shift)) >> UInt64(64 &- width))
    }

    /// The next 57 bits at the top of a word (the low 7 bits are zero or
    /// later bits), without moving; nil when fewer than 8 bytes remain from the
    /// current byte, where ``read(_:_:)`` must be used.
    @inlinable @inline(__always)
    func peek57() -> UInt64? {
        let byteIndex = position &>> 3
        guard byteIndex &+ 8 <= base.count else { return nil }
        let window = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
        return window << UInt64(position & 7)
    }
}
