/// Appends bit fields, most significant bit first, to a byte array through a 64-bit
/// accumulator (the layout of thi.ng `rle-pack` streams).
@usableFromInline
struct BitWriter {
    @usableFromInline var bytes: [UInt8]
    /// Pending bits, right-aligned; only the low `pending` bits are meaningful.
    @usableFromInline var accumulator: UInt64 = 0
    @usableFromInline var pending: Int = 0

    @inlinable
    init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Total number of bits written so far.
    @inlinable
    var bitCount: Int { bytes.count * 8 + pending }

    /// Appends the low `width` bits of `value` (`width` in 0...32).
    @inlinable @inline(__always)
    mutating func write(_ value: UInt64, width: Int) {
        accumulator = (accumulator << UInt64(width)) | value
        pending += width
        if pending >= 32 { flushWord() }
    }

    @inlinable @inline(__always)
    mutating func flushWord() {
        pending -= 32
        let word = UInt32(truncatingIfNeeded: accumulator >> UInt64(pending))
        bytes.append(UInt8(truncatingIfNeeded: word >> 24))
        bytes.append(UInt8(truncatingIfNeeded: word >> 16))
        bytes.append(UInt8(truncatingIfNeeded: word >> 8))
        bytes.append(UInt8(truncatingIfNeeded: word))
    }

    /// Writes out the pending bits, zero-padding the last byte, and returns the bytes.
    @inlinable
    mutating func finish() -> [UInt8] {
        while pending >= 8 {
            pending -= 8
            bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt64(pending)))
        }
        if pending > 0 {
            bytes.append(UInt8(truncatingIfNeeded: accumulator << UInt64(8 - pending)))
            pending = 0
        }
        return bytes
    }
}
