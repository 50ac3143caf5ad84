extension LabelStudioRLE {
    /// Decodes a brush stream straight into the row runs of its alpha channel,
    /// without building the mask: O(chunks + rows), so a mask of a few shapes goes
    /// from RLE to runs (and on to a PNG) without touching its pixels.
    ///
    /// - Throws: as ``decodeMask(_:width:height:)``.
    public static func decodeRuns(_ rle: [UInt8], width: Int, height: Int) throws(CoreError) -> MaskRuns {
        let expected = try brushWordCount(width: width, height: height)
        return try withBytes(of: rle) { (raw) throws(CoreError) -> MaskRuns in
            var reader = BitReader(raw)
            let header = try readBrushHeader(&reader, expected: expected, width: width, height: height)
            var sink = AlphaRunSink(width: width)
            sink.out.rowStart.reserveCapacity(min(height, 1 << 16) + 1)
            try decodeChunks(&reader, header, into: &sink, maxValue: 255)
            sink.finish()
            return sink.out
        }
    }
}

/// Collects the alpha bytes of RGBA words as per-row runs of pixels.
struct AlphaRunSink: RLEWordSink {
    let width: Int
    var out = MaskRuns()
    /// Pixels emitted so far; the row in progress ends at `rowEnd`.
    var pixel = 0
    var rowEnd: Int
    /// The run in progress (not yet appended).
    var value: UInt8 = 0
    var length = 0

    init(width: Int) {
        self.width = width
        rowEnd = width
    }

    /// Adds `count` pixels of `v`, cutting at row ends and merging equal neighbours.
    @inline(__always)
    mutating func add(_ v: UInt8, _ count: Int) {
        var remaining = count
        while remaining > 0 {
            let take = min(remaining, rowEnd - pixel)
            if length > 0 && v == value {
                length += take
            } else {
                if length > 0 {
                    out.values.append(value)
                    out.lengths.append(length)
                }
                value = v
                length = take
            }
            pixel += take
            remaining -= take
            if pixel == rowEnd {
                out.values.append(value)
                out.lengths.append(length)
                length = 0
                out.rowStart.append(out.values.count)
                rowEnd += width
            }
        }
    }

    /// Words `start..<start + count` hold the alphas of pixels `start / 4 ..< (start + count) / 4`.
    @inline(__always)
    mutating func fill(from start: Int, count: Int, value: UInt32) {
        let first = start &>> 2, last = (start &+ count) &>> 2
        if last > first { add(UInt8(truncatingIfNeeded: value), last - first) }
    }

    @inline(__always)
    mutating func store(_ value: UInt32, at index: Int) {
        if index & 3 == 3 { add(UInt8(truncatingIfNeeded: value), 1) }
    }

    mutating func finish() {
        if length > 0 {
            out.values.append(value)
            out.lengths.append(length)
            out.rowStart.append(out.values.count)
            length = 0
        }
    }
}
