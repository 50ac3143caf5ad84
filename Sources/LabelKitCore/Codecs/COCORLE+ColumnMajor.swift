import CLabelKitBits

extension COCORLE {
    /// Decodes to a column-major (Fortran-order) buffer, pixel (x, y) at
    /// `x * height + y`: what pycocotools and hotcoco `decode` return, for
    /// callers that keep masks that way (numpy's Fortran arrays). Foreground
    /// bytes are `foreground` (1 as they give it).
    ///
    /// Noisy masks (more than one run per 16 pixels) mark each boundary and turn
    /// the marks into values with a running XOR 8 bytes at a time; smooth masks
    /// fill each foreground run.
    ///
    /// - Complexity: O(width * height / 8 + runs).
    public func decodeColumnMajor(foreground: UInt8 = 1) -> [UInt8] {
        let total = height * width
        guard total > 0 else { return [] }
        // 8 bytes of slack for the last 8-byte step; dropped at the end.
        var out = [UInt8](repeating: 0, count: total + 8)
        out.withUnsafeMutableBufferPointer { out in
            counts.withUnsafeBufferPointer { counts in
                let base = out.baseAddress!
                if counts.count * 16 > total {
                    var position = 0
                    for k in 0..<(counts.count - 1) {
                        position &+= Int(counts[k])
                        if position >= total { break }
                        base[position] ^= 1  // XOR: zero-length runs cancel
                    }
                    var carry: UInt64 = 0
                    ByteRuns.runningXOR(UnsafeMutableRawPointer(base), count: total, carry: &carry, scale: UInt64(foreground))
                } else {
                    var position = 0
                    for k in 0..<counts.count {
                        let n = min(Int(counts[k]), total &- position)
                        if k & 1 == 1 && n > 0 { (base + position).update(repeating: foreground, count: n) }
                        position &+= n
                    }
                }
            }
        }
        out.removeLast(8)
        return out
    }

    /// Encodes a column-major (Fortran-order) mask of `height * width` bytes,
    /// pixel (x, y) at `x * height + y`, foreground = non-zero: what
    /// pycocotools and hotcoco `encode` take. The counts equal
    /// ``init(encoding:)``'s for the same mask in row-major order.
    ///
    /// - Throws: `.invalidDimensions` for a negative size or a buffer of
    ///   another length.
    /// - Complexity: O(width * height / 8 + runs).
    public init(encodingColumnMajor bytes: UnsafeBufferPointer<UInt8>, height: Int, width: Int) throws(CoreError) {
        try COCORLE.validate(height: height, width: width)
        let total = height * width
        guard bytes.count == total else {
            throw CoreError(
                .invalidDimensions, "a \(width)x\(height) mask has \(total) bytes, not \(bytes.count)")
        }
        guard total > 0 else {
            self.init(unchecked: height, width, [0])
            return
        }
        let counts = COCORLE.runs(UnsafeRawPointer(bytes.baseAddress!), count: total)
        self.init(unchecked: height, width, counts)
    }

    /// Run lengths of `count` bytes in order, foreground = non-zero, in blocks
    /// of 4 KiB, 64 bytes at a time: each step becomes one bit per byte
    /// (`clk_nonzero_bits64`, SSE2's byte mask) and one per boundary, read off
    /// eight at a time with unconditional stores (simdjson's `flatten_bits`), so
    /// noisy data costs no mispredicted branches. After a block with few
    /// boundaries (at most one in 16 bytes), steps in which no byte changes from
    /// the one before are first skipped with four vector compares: smooth masks
    /// pass through at the speed of reading them.
    static func runs(_ base: UnsafeRawPointer, count total: Int) -> [UInt32] {
        let block = 4096
        let high: UInt64 = 0x8080_8080_8080_8080
        var sink = CountWriter(capacity: max(64, total / 64), total: total)
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: block + 64) { scratch in
            let offsets = scratch.baseAddress!
            var dense = false
            // Bit 7 of every byte: whether the byte before the next one is non-zero.
            var state: UInt64 = 0
            var start = 0
            while start < total {
                let end = min(total, start + block)
                var found = 0
                var i = start
                while i &+ 64 <= end {
                    if !dense {
                        // All zero, or (inside a foreground run) none zero: skipped.
                        let v0 = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                        let v1 = base.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD16<UInt8>.self)
                        let v2 = base.loadUnaligned(fromByteOffset: i &+ 32, as: SIMD16<UInt8>.self)
                        let v3 = base.loadUnaligned(fromByteOffset: i &+ 48, as: SIMD16<UInt8>.self)
                        let same: Bool
                        if state == 0 {
                            same = (v0 | v1 | v2 | v3) == SIMD16<UInt8>()
                        } else {
                            let zero = SIMD16<UInt8>()
                            same = !any((v0 .== zero) .| (v1 .== zero) .| (v2 .== zero) .| (v3 .== zero))
                        }
                        if same {
                            i &+= 64
                            continue
                        }
                    }
                    let nonZero = clk_nonzero_bits64(base + i)
                    var changes = nonZero ^ ((nonZero << 1) | (state >> 63))
                    state = (nonZero >> 63) &* high
                    if dense {
                        ByteRuns.flatten64(changes, offset: i &- start, into: offsets, at: &found)
                    } else {
                        // One or two boundaries in a smooth mask's step.
                        while changes != 0 {
                            offsets[found] = UInt16(truncatingIfNeeded: i &- start &+ changes.trailingZeroBitCount)
                            found &+= 1
                            changes &= changes &- 1
                        }
                    }
                    i &+= 64
                }
                while i &+ 8 <= end {
                    let flags = ByteRuns.nonZeroFlags(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    let changes = (flags ^ ((flags << 8) | (state >> 56))) & high
                    ByteRuns.flatten(changes, offset: UInt16(truncatingIfNeeded: i &- start), into: offsets, at: &found)
                    state = (flags >> 63) &* high
                    i &+= 8
                }
                while i < end {
                    let flag: UInt64 = base.load(fromByteOffset: i, as: UInt8.self) != 0 ? high : 0
                    if flag != state {
                        offsets[found] = UInt16(truncatingIfNeeded: i &- start)
                        found &+= 1
                    }
                    state = flag
                    i &+= 1
                }
                sink.origin = start
                sink.boundaries(UnsafePointer(offsets), count: found, from: 0)
                dense = found &* 16 > end &- start
                start = end
            }
        }
        return sink.finish()
    }
}
