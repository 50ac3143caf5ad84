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
                    let raw = UnsafeMutableRawPointer(base)
                    let scale = UInt64(foreground)
                    var carry: UInt64 = 0
                    var i = 0
                    while i < total {
                        var x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                        x ^= x << 8
                        x ^= x << 16
                        x ^= x << 32
                        x ^= carry
                        carry = (x >> 56) &* 0x0101_0101_0101_0101
                        raw.storeBytes(of: (x &* scale).littleEndian, toByteOffset: i, as: UInt64.self)
                        i &+= 8
                    }
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
        let block = 1 << 14
        var sink = CountWriter(capacity: max(64, total / 8))
        // scratch[0] carries the last pixel of the previous block (0 before the first).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: block + 9) { scratch in
            let buffer = scratch.baseAddress!
            buffer[0] = 0
            let source = UnsafeRawPointer(bytes.baseAddress!)
            let target = UnsafeMutableRawPointer(buffer + 1)
            var start = 0
            while start < total {
                let n = min(block, total - start)
                // Binarize 8 bytes at a time (non-zero -> 1), the tail byte by byte.
                var i = 0
                while i &+ 8 <= n {
                    let word = source.loadUnaligned(fromByteOffset: start &+ i, as: UInt64.self)
                    target.storeBytes(of: ByteRuns.nonZeroFlags(word) >> 7, toByteOffset: i, as: UInt64.self)
                    i &+= 8
                }
                while i < n {
                    buffer[1 &+ i] = bytes[start &+ i] != 0 ? 1 : 0
                    i &+= 1
                }
                sink.origin = start &- 1
                ByteRuns.scanBoundaries(UnsafePointer(buffer), count: n &+ 1, into: &sink)
                buffer[0] = buffer[n]
                start &+= n
            }
        }
        self.init(unchecked: height, width, sink.finish(total: total))
    }
}
