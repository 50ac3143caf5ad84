/// Scanning helpers for runs of equal bytes in contiguous memory.
@usableFromInline
enum ByteRuns {
    /// Per-byte "is non-zero" flags: bit 7 of each byte of the result is set when
    /// that byte of `word` is non-zero; all other bits are clear.
    @inlinable @inline(__always)
    static func nonZeroFlags(_ word: UInt64) -> UInt64 {
        let low: UInt64 = 0x7f7f_7f7f_7f7f_7f7f
        return (((word & low) &+ low) | word) & 0x8080_8080_8080_8080
    }

    /// Hands `sink` every `i` in `1..<count` where `base[i] != base[i - 1]`, in
    /// ascending order, a block at a time.
    ///
    /// Works in blocks: each 8 bytes are XORed with the same 8 bytes shifted by one
    /// (two unaligned loads); a word with differences has its boundary offsets
    /// written to a scratch list with eight unconditional stores, advancing by its
    /// popcount (simdjson's `flatten_bits`), so noisy data costs no branch
    /// mispredictions; then the sink sees the block's boundaries in one tight loop.
    @inlinable @inline(__always)
    static func scanBoundaries<Sink: ByteBoundarySink>(
        _ base: UnsafePointer<UInt8>, count: Int, into sink: inout Sink
    ) {
        guard count > 1 else { return }
        let blockSize = 4096
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: blockSize &+ 16) { scratch in
            scanBlocks(base, count: count, blockSize: blockSize, scratch: scratch.baseAddress!, into: &sink)
        }
    }

    @inlinable @inline(__always)
    static func scanBlocks<Sink: ByteBoundarySink>(
        _ base: UnsafePointer<UInt8>, count: Int, blockSize: Int, scratch: UnsafeMutablePointer<UInt16>,
        into sink: inout Sink
    ) {
        let raw = UnsafeRawPointer(base)
        var i = 1
        while i < count {
            let blockStart = i
            let blockEnd = min(count, i &+ blockSize)
            var found = 0
            while i &+ 8 <= blockEnd {
                let d =
                    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &- 1, as: UInt64.self))
                if d != 0 {
                    flatten(nonZeroFlags(d), offset: UInt16(truncatingIfNeeded: i &- blockStart), into: scratch, at: &found)
                }
                i &+= 8
            }
            while i < blockEnd {
                if base[i] != base[i &- 1] {
                    scratch[found] = UInt16(truncatingIfNeeded: i &- blockStart)
                    found &+= 1
                }
                i &+= 1
            }
            if found > 0 { sink.boundaries(scratch, count: found, from: blockStart) }
        }
    }
}

extension ByteRuns {
    /// Writes `offset` plus the index of every byte of `flags` with bit 7 set
    /// to `scratch[found...]`, ascending, and advances `found` by their count:
    /// eight unconditional stores (simdjson's `flatten_bits`), so random flags
    /// cost no mispredicted branch. `scratch` needs 8 free slots past `found`.
    @inlinable @inline(__always)
    static func flatten(
        _ flags: UInt64, offset: UInt16, into scratch: UnsafeMutablePointer<UInt16>, at found: inout Int
    ) {
        var flags = flags
        let n = flags.nonzeroBitCount
        for k in 0..<8 {
            scratch[found &+ k] = offset &+ UInt16(truncatingIfNeeded: flags.trailingZeroBitCount &>> 3)
            flags &= flags &- 1
        }
        found &+= n
    }

    /// Writes `offset` plus the index of every set bit of `bits` to
    /// `scratch[found...]`, ascending, and advances `found` by their count: eight
    /// unconditional stores at a time (simdjson's `flatten_bits`), so the
    /// number of bits costs a mispredicted branch only past each eight.
    /// `scratch` needs 64 free slots past `found`.
    @inlinable @inline(__always)
    static func flatten64(
        _ bits: UInt64, offset: Int, into scratch: UnsafeMutablePointer<UInt16>, at found: inout Int
    ) {
        var bits = bits
        let n = bits.nonzeroBitCount
        var at = found
        let end = found &+ n
        while at < end {
            for k in 0..<8 {
                scratch[at &+ k] = UInt16(truncatingIfNeeded: offset &+ bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
            at &+= 8
        }
        found = end
    }

    /// Turns boundary marks (byte 1 where the value flips) into values in
    /// place, 8 bytes at a time: byte i becomes the parity of the marks at or
    /// before it, XORed with `carry` (the value before the first byte, in every
    /// byte), then multiplied by `scale`. `count` is rounded up to 8: the
    /// buffer needs that slack. `carry` leaves as the last byte's parity.
    @inlinable @inline(__always)
    static func runningXOR(_ raw: UnsafeMutableRawPointer, count: Int, carry: inout UInt64, scale: UInt64 = 1) {
        var i = 0
        while i < count {
            var x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            x ^= x << 8
            x ^= x << 16
            x ^= x << 32
            x ^= carry
            carry = (x >> 56) &* 0x0101_0101_0101_0101
            raw.storeBytes(of: (x &* scale).littleEndian, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
    }
}

/// Receives the positions where a byte differs from the one before it.
@usableFromInline
protocol ByteBoundarySink {
    /// Receives `count` boundaries at `start + offsets[j]`, ascending; later calls
    /// continue after earlier ones. Implementations copy their state into locals
    /// for the loop, so it stays in registers.
    mutating func boundaries(_ offsets: UnsafePointer<UInt16>, count: Int, from start: Int)
}
