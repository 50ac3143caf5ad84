extension COCORLE {
    /// Encodes a row-major mask (foreground = non-zero) as pycocotools `encode` does
    /// on the column-major (Fortran) copy of it, without building that copy.
    ///
    /// A run boundary in column-major order sits where a pixel differs from the one
    /// above it (or, in row 0, from the last pixel of the previous column). Those
    /// boundaries are found by comparing whole rows 8 bytes at a time, then bucketed
    /// by column, so the mask is read once, in order.
    ///
    /// - Complexity: O(width * height / 8 + boundaries).
    public init(encoding mask: Mask) {
        self.init(unchecked: mask.height, mask.width, COCORLE.columnMajorCounts(of: mask))
    }

    /// Per-byte "is non-zero" flags in bit 7 of each byte of a 64-bit word.
    @inlinable @inline(__always)
    static func nonZeroFlags(_ word: UInt64) -> UInt64 {
        let low: UInt64 = 0x7f7f_7f7f_7f7f_7f7f
        return (((word & low) &+ low) | word) & 0x8080_8080_8080_8080
    }

    static func columnMajorCounts(of mask: Mask) -> [UInt32] {
        let w = mask.width, h = mask.height
        let total = w * h
        guard total > 0 else { return [UInt32(total)] }
        // Pass 1: boundary columns row by row, and a count per column.
        var columnsByRow: [UInt32] = []
        columnsByRow.reserveCapacity(max(16, 2 * w + 2 * h))
        var rowEnds = [Int](repeating: 0, count: h)
        var perColumn = [Int](repeating: 0, count: w + 1)
        mask.bytes.withUnsafeBufferPointer { pixels in
            let base = pixels.baseAddress!
            perColumn.withUnsafeMutableBufferPointer { perColumn in
                // Row 0: pixel (x, 0) follows pixel (x - 1, h - 1); pixel (0, 0) follows background.
                let lastRow = base + (h - 1) * w
                var previous = false
                for x in 0..<w {
                    let current = base[x] != 0
                    if current != previous {
                        columnsByRow.append(UInt32(truncatingIfNeeded: x))
                        perColumn[x] &+= 1
                    }
                    previous = lastRow[x] != 0
                }
                rowEnds[0] = columnsByRow.count
                if h > 1 {
                    for y in 1..<h {
                        appendBoundaries(
                            row: base + y * w, above: base + (y - 1) * w, width: w,
                            into: &columnsByRow, perColumn: perColumn.baseAddress!)
                        rowEnds[y] = columnsByRow.count
                    }
                }
            }
        }
        // Pass 2: bucket the boundary rows by column (rows arrive in order).
        var start = [Int](repeating: 0, count: w + 1)
        for x in 0..<w { start[x + 1] = start[x] + perColumn[x] }
        let boundaryCount = start[w]
        var rowsByColumn = [UInt32](repeating: 0, count: boundaryCount)
        var counts: [UInt32] = []
        counts.reserveCapacity(boundaryCount + 1)
        columnsByRow.withUnsafeBufferPointer { columns in
            rowsByColumn.withUnsafeMutableBufferPointer { rows in
                start.withUnsafeMutableBufferPointer { next in
                    var k = 0
                    for y in 0..<h {
                        let end = rowEnds[y]
                        let yy = UInt32(truncatingIfNeeded: y)
                        while k < end {
                            let x = Int(columns[k])
                            rows[next[x]] = yy
                            next[x] &+= 1
                            k &+= 1
                        }
                    }
                }
                // Boundaries in column-major order become run lengths.
                var previous = 0
                var i = 0
                for x in 0..<w {
                    let columnBase = x * h
                    let end = i + perColumn[x]
                    while i < end {
                        let t = columnBase + Int(rows[i])
                        counts.append(UInt32(truncatingIfNeeded: t - previous))
                        previous = t
                        i &+= 1
                    }
                }
                counts.append(UInt32(truncatingIfNeeded: total - previous))
            }
        }
        return counts
    }

    /// Appends the columns where `row` and `above` differ in foreground-ness.
    @inline(__always)
    static func appendBoundaries(
        row: UnsafePointer<UInt8>, above: UnsafePointer<UInt8>, width w: Int,
        into columns: inout [UInt32], perColumn: UnsafeMutablePointer<Int>
    ) {
        let a = UnsafeRawPointer(row), b = UnsafeRawPointer(above)
        var x = 0
        while x &+ 32 <= w {
            let a0 = a.loadUnaligned(fromByteOffset: x, as: UInt64.self)
            let b0 = b.loadUnaligned(fromByteOffset: x, as: UInt64.self)
            let a1 = a.loadUnaligned(fromByteOffset: x &+ 8, as: UInt64.self)
            let b1 = b.loadUnaligned(fromByteOffset: x &+ 8, as: UInt64.self)
            let a2 = a.loadUnaligned(fromByteOffset: x &+ 16, as: UInt64.self)
            let b2 = b.loadUnaligned(fromByteOffset: x &+ 16, as: UInt64.self)
            let a3 = a.loadUnaligned(fromByteOffset: x &+ 24, as: UInt64.self)
            let b3 = b.loadUnaligned(fromByteOffset: x &+ 24, as: UInt64.self)
            if ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) != 0 {
                appendWordBoundaries(a0, b0, x, &columns, perColumn)
                appendWordBoundaries(a1, b1, x &+ 8, &columns, perColumn)
                appendWordBoundaries(a2, b2, x &+ 16, &columns, perColumn)
                appendWordBoundaries(a3, b3, x &+ 24, &columns, perColumn)
            }
            x &+= 32
        }
        while x &+ 8 <= w {
            let a0 = a.loadUnaligned(fromByteOffset: x, as: UInt64.self)
            let b0 = b.loadUnaligned(fromByteOffset: x, as: UInt64.self)
            if a0 != b0 { appendWordBoundaries(a0, b0, x, &columns, perColumn) }
            x &+= 8
        }
        while x < w {
            if (row[x] != 0) != (above[x] != 0) {
                columns.append(UInt32(truncatingIfNeeded: x))
                perColumn[x] &+= 1
            }
            x &+= 1
        }
    }

    @inline(__always)
    static func appendWordBoundaries(
        _ a: UInt64, _ b: UInt64, _ x: Int,
        _ columns: inout [UInt32], _ perColumn: UnsafeMutablePointer<Int>
    ) {
        guard a != b else { return }
        var diff = UInt64(littleEndian: nonZeroFlags(a) ^ nonZeroFlags(b))
        while diff != 0 {
            let column = x &+ (diff.trailingZeroBitCount &>> 3)
            columns.append(UInt32(truncatingIfNeeded: column))
            perColumn[column] &+= 1
            diff &= diff &- 1
        }
    }
}
