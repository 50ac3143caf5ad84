/// Transposes byte matrices in 8 x 8 tiles held in eight 64-bit words, mapping
/// each byte through 0/1 binarization or 0/1 scaling on the way.
enum ByteTranspose {
    /// What happens to each byte on its way through.
    enum Mapping {
        /// Non-zero becomes 1, zero stays 0.
        case binarize
        /// Bytes are 0 or 1 and are multiplied by the value (1 becomes `value`).
        case scale(UInt8)
    }

    /// Writes `destination[c * destinationStride + r] = map(source[r * sourceStride + c])`
    /// for `r < rows`, `c < columns`: a block of a larger matrix may be transposed
    /// into a block of another.
    ///
    /// - Precondition: the buffers cover the strided blocks and do not overlap.
    static func transpose(
        _ source: UnsafePointer<UInt8>, sourceStride: Int, rows: Int, columns: Int,
        into destination: UnsafeMutablePointer<UInt8>, destinationStride: Int, mapping: Mapping
    ) {
        switch mapping {
        case .binarize:
            run(source, sourceStride, rows, columns, destination, destinationStride, binarize: true, factor: 1)
        case .scale(let value):
            run(
                source, sourceStride, rows, columns, destination, destinationStride, binarize: false,
                factor: UInt64(value))
        }
    }

    @inline(__always)
    private static func run(
        _ source: UnsafePointer<UInt8>, _ sourceStride: Int, _ rows: Int, _ columns: Int,
        _ destination: UnsafeMutablePointer<UInt8>, _ destinationStride: Int, binarize: Bool, factor: UInt64
    ) {
        let src = UnsafeRawPointer(source)
        let dst = UnsafeMutableRawPointer(destination)
        @inline(__always) func map(_ word: UInt64) -> UInt64 {
            binarize ? ByteRuns.nonZeroFlags(word) >> 7 : word &* factor
        }
        let fullRows = rows & ~7, fullColumns = columns & ~7
        var r0 = 0
        while r0 < fullRows {
            var c0 = 0
            while c0 < fullColumns {
                var w0 = map(load(src, r0 &* sourceStride &+ c0))
                var w1 = map(load(src, (r0 &+ 1) &* sourceStride &+ c0))
                var w2 = map(load(src, (r0 &+ 2) &* sourceStride &+ c0))
                var w3 = map(load(src, (r0 &+ 3) &* sourceStride &+ c0))
                var w4 = map(load(src, (r0 &+ 4) &* sourceStride &+ c0))
                var w5 = map(load(src, (r0 &+ 5) &* sourceStride &+ c0))
                var w6 = map(load(src, (r0 &+ 6) &* sourceStride &+ c0))
                var w7 = map(load(src, (r0 &+ 7) &* sourceStride &+ c0))
                swapBlocks(&w0, &w4, 32, 0x0000_0000_FFFF_FFFF)
                swapBlocks(&w1, &w5, 32, 0x0000_0000_FFFF_FFFF)
                swapBlocks(&w2, &w6, 32, 0x0000_0000_FFFF_FFFF)
                swapBlocks(&w3, &w7, 32, 0x0000_0000_FFFF_FFFF)
                swapBlocks(&w0, &w2, 16, 0x0000_FFFF_0000_FFFF)
                swapBlocks(&w1, &w3, 16, 0x0000_FFFF_0000_FFFF)
                swapBlocks(&w4, &w6, 16, 0x0000_FFFF_0000_FFFF)
                swapBlocks(&w5, &w7, 16, 0x0000_FFFF_0000_FFFF)
                swapBlocks(&w0, &w1, 8, 0x00FF_00FF_00FF_00FF)
                swapBlocks(&w2, &w3, 8, 0x00FF_00FF_00FF_00FF)
                swapBlocks(&w4, &w5, 8, 0x00FF_00FF_00FF_00FF)
                swapBlocks(&w6, &w7, 8, 0x00FF_00FF_00FF_00FF)
                store(dst, c0 &* destinationStride &+ r0, w0)
                store(dst, (c0 &+ 1) &* destinationStride &+ r0, w1)
                store(dst, (c0 &+ 2) &* destinationStride &+ r0, w2)
                store(dst, (c0 &+ 3) &* destinationStride &+ r0, w3)
                store(dst, (c0 &+ 4) &* destinationStride &+ r0, w4)
                store(dst, (c0 &+ 5) &* destinationStride &+ r0, w5)
                store(dst, (c0 &+ 6) &* destinationStride &+ r0, w6)
                store(dst, (c0 &+ 7) &* destinationStride &+ r0, w7)
                c0 &+= 8
            }
            r0 &+= 8
        }
        // Right strip (columns past the last full tile) and bottom strip.
        @inline(__always) func mapByte(_ b: UInt8) -> UInt8 {
            binarize ? (b != 0 ? 1 : 0) : b &* UInt8(truncatingIfNeeded: factor)
        }
        for r in 0..<fullRows {
            for c in fullColumns..<columns {
                destination[c &* destinationStride &+ r] = mapByte(source[r &* sourceStride &+ c])
            }
        }
        for r in fullRows..<rows {
            for c in 0..<columns {
                destination[c &* destinationStride &+ r] = mapByte(source[r &* sourceStride &+ c])
            }
        }
    }

    /// Swaps the high `shift`-bit halves of `a`'s blocks with the low halves of `b`'s.
    @inline(__always)
    private static func swapBlocks(_ a: inout UInt64, _ b: inout UInt64, _ shift: UInt64, _ mask: UInt64) {
        let t = ((a >> shift) ^ b) & mask
        b ^= t
        a ^= t << shift
    }

    @inline(__always)
    private static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func store(_ base: UnsafeMutableRawPointer, _ offset: Int, _ word: UInt64) {
        base.storeBytes(of: word.littleEndian, toByteOffset: offset, as: UInt64.self)
    }
}
