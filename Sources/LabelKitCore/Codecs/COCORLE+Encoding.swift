extension COCORLE {
    /// Encodes a row-major mask (foreground = non-zero) as pycocotools `encode` does
    /// on the column-major (Fortran) copy of it.
    ///
    /// Two strategies, chosen from a sample of rows:
    /// - few boundaries (smooth masks): a run boundary in column-major order sits
    ///   where a pixel differs from the one above it (or, in row 0, from the last
    ///   pixel of the previous column), so whole rows are compared 8 bytes at a
    ///   time and the boundaries bucketed by column; no column-major copy is made.
    /// - many boundaries (noisy masks): the mask is transposed and binarized in
    ///   8 x 8 tiles, then scanned for boundaries 8 bytes at a time.
    ///
    /// - Complexity: O(width * height / 8 + boundaries).
    public init(encoding mask: Mask) {
        let counts =
            COCORLE.isNoisy(mask)
            ? COCORLE.transposedCounts(of: mask) : COCORLE.columnMajorCounts(of: mask)
        self.init(unchecked: mask.height, mask.width, counts)
    }

    /// Estimates from up to 32 sampled row pairs whether more than 1 pixel in 16
    /// starts a run, where transposing beats the row comparison.
    static func isNoisy(_ mask: Mask) -> Bool {
        let w = mask.width, h = mask.height
        guard h > 1, w >= 8 else { return false }
        let step = max(1, (h - 1) / 32)
        var changed = 0, compared = 0
        mask.bytes.withUnsafeBytes { raw in
            var y = 1
            while y < h {
                var x = 0
                while x + 8 <= w {
                    let a = raw.loadUnaligned(fromByteOffset: y * w + x, as: UInt64.self)
                    let b = raw.loadUnaligned(fromByteOffset: (y - 1) * w + x, as: UInt64.self)
                    changed += (ByteRuns.nonZeroFlags(a) ^ ByteRuns.nonZeroFlags(b)).nonzeroBitCount
                    x += 8
                }
                compared += x
                y += step
            }
        }
        return changed * 16 > compared
    }

    /// Run lengths from binarized column-major strips of the mask, 8 columns at a
    /// time (an 8 * height scratch buffer, never a full column-major copy).
    static func transposedCounts(of mask: Mask) -> [UInt32] {
        let w = mask.width, h = mask.height
        // strip[0] carries the last pixel of the previous strip (0 before the first).
        var strip = [UInt8](repeating: 0, count: 8 * h + 1)
        var sink = CountWriter(capacity: max(64, mask.pixelCount / 8), total: mask.pixelCount)
        mask.bytes.withUnsafeBufferPointer { source in
            strip.withUnsafeMutableBufferPointer { strip in
                let buffer = strip.baseAddress!
                var x0 = 0
                while x0 < w {
                    let columns = min(8, w - x0)
                    ByteTranspose.transpose(
                        source.baseAddress! + x0, sourceStride: w, rows: h, columns: columns,
                        into: buffer + 1, destinationStride: h, mapping: .binarize)
                    let length = columns * h + 1
                    sink.origin = x0 * h - 1
                    ByteRuns.scanBoundaries(UnsafePointer(buffer), count: length, into: &sink)
                    buffer[0] = buffer[length - 1]
                    x0 += 8
                }
            }
        }
        return sink.finish()
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
            let a0 = UInt64(littleEndian: a.loadUnaligned(fromByteOffset: x, as: UInt64.self))
            let b0 = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: x, as: UInt64.self))
            let a1 = UInt64(littleEndian: a.loadUnaligned(fromByteOffset: x &+ 8, as: UInt64.self))
            let b1 = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: x &+ 8, as: UInt64.self))
            let a2 = UInt64(littleEndian: a.loadUnaligned(fromByteOffset: x &+ 16, as: UInt64.self))
            let b2 = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: x &+ 16, as: UInt64.self))
            let a3 = UInt64(littleEndian: a.loadUnaligned(fromByteOffset: x &+ 24, as: UInt64.self))
            let b3 = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: x &+ 24, as: UInt64.self))
            if ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) != 0 {
                appendWordBoundaries(a0, b0, x, &columns, perColumn)
                appendWordBoundaries(a1, b1, x &+ 8, &columns, perColumn)
                appendWordBoundaries(a2, b2, x &+ 16, &columns, perColumn)
                appendWordBoundaries(a3, b3, x &+ 24, &columns, perColumn)
            }
            x &+= 32
        }
        while x &+ 8 <= w {
            let a0 = UInt64(littleEndian: a.loadUnaligned(fromByteOffset: x, as: UInt64.self))
            let b0 = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: x, as: UInt64.self))
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
        var diff = ByteRuns.nonZeroFlags(a) ^ ByteRuns.nonZeroFlags(b)
        while diff != 0 {
            let column = x &+ (diff.trailingZeroBitCount &>> 3)
            columns.append(UInt32(truncatingIfNeeded: column))
            perColumn[column] &+= 1
            diff &= diff &- 1
        }
    }
}

/// Collects run lengths between successive boundaries (positions offset by
/// `origin`) over `total` bytes, growing its buffer to the count the density so
/// far predicts.
struct CountWriter: ByteBoundarySink {
    var counts: [UInt32]
    var written = 0
    var previous = 0
    /// Added to every boundary position handed in.
    var origin = 0
    let total: Int

    /// Room for `capacity` counts, not zeroed: only written slots are kept.
    init(capacity: Int, total: Int) {
        counts = [UInt32](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        self.total = total
    }

    /// Appends the runs that end at the boundaries.
    @inline(__always)
    mutating func boundaries(_ offsets: UnsafePointer<UInt16>, count: Int, from start: Int) {
        if written &+ count &+ 1 > counts.count {
            // (count > 0 here: the room for the last run is kept after every call.)
            grow(toHold: count, reaching: origin &+ start &+ Int(offsets[count &- 1]))
        }
        var written = self.written
        var previous = self.previous
        let base = origin &+ start
        counts.withUnsafeMutableBufferPointer { counts in
            for j in 0..<count {
                let index = base &+ Int(offsets[j])
                counts[written] = UInt32(truncatingIfNeeded: index &- previous)
                written &+= 1
                previous = index
            }
        }
        self.written = written
        self.previous = previous
    }

    /// Makes room for `count` more counts (and the last run) after boundaries up
    /// to `position`: as many as the density so far predicts for the whole
    /// input plus an eighth, at least half again the current room. Only the
    /// written counts are copied; nothing is zeroed.
    @inline(never)
    mutating func grow(toHold count: Int, reaching position: Int) {
        let needed = written &+ count &+ 1
        // In doubles: needed * total overflows for inputs past 3 gigapixels.
        let predicted = Double(needed) * (Double(total) / Double(max(1, position))) * 1.125
        let grown = max(Double(counts.count) * 1.5, predicted)
        let capacity = max(needed, Int(min(Double(total &+ 1), grown)))
        let old = counts
        let kept = written
        counts = [UInt32](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            old.withUnsafeBufferPointer { old in
                buffer.baseAddress!.initialize(from: old.baseAddress!, count: kept)
            }
            initialized = capacity
        }
    }

    /// Appends the last run (up to `total`) and returns the counts.
    mutating func finish() -> [UInt32] {
        counts.removeSubrange(written...)
        counts.append(UInt32(truncatingIfNeeded: total &- previous))
        return counts
    }
}
