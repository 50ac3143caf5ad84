/// Collects covered spans and gives their union as sorted, disjoint, maximal
/// intervals of the row-major pixel index (`y * width + x`), so a merged mask
/// of many shapes can be encoded without painting a mask and scanning it.
///
///     var union = SpanUnion(width: 1920, height: 1080)
///     for shape in shapes { Rasterizer.rasterize(shape, width: 1920, height: 1080, into: &union) }
///     let rle = try LabelStudioRLE.encode(union)   // == encode(mask with every shape filled)
///
/// - Complexity: O(spans + height) to order, plus sorting each row's few spans.
public struct SpanUnion: SpanSink {
    /// Image width.
    public let width: Int
    /// Image height.
    public let height: Int
    @usableFromInline var rows: [Int32] = []
    @usableFromInline var from: [Int32] = []
    @usableFromInline var to: [Int32] = []

    /// An empty union over a `width x height` image.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    @inlinable
    public mutating func span(row: Int, columns: Range<Int>) {
        rows.append(Int32(truncatingIfNeeded: row))
        from.append(Int32(truncatingIfNeeded: columns.lowerBound))
        to.append(Int32(truncatingIfNeeded: columns.upperBound))
    }

    /// The covered pixels as `[start, end)` intervals of `y * width + x`, sorted,
    /// disjoint, and maximal (touching intervals, also across rows, are merged).
    public func intervals() -> [(start: Int, end: Int)] {
        // Counting sort of the spans by row.
        var rowStart = [Int](repeating: 0, count: height + 1)
        for row in rows { rowStart[Int(row) + 1] += 1 }
        for y in 0..<height { rowStart[y + 1] += rowStart[y] }
        var next = rowStart
        var order = [Int](repeating: 0, count: rows.count)
        for (i, row) in rows.enumerated() {
            order[next[Int(row)]] = i
            next[Int(row)] += 1
        }
        var out: [(start: Int, end: Int)] = []
        var spans: [(Int, Int)] = []
        for y in 0..<height where rowStart[y] < rowStart[y + 1] {
            spans.removeAll(keepingCapacity: true)
            for k in rowStart[y]..<rowStart[y + 1] { spans.append((Int(from[order[k]]), Int(to[order[k]]))) }
            spans.sort { $0.0 < $1.0 }
            let base = y * width
            for (x0, x1) in spans {
                let start = base + x0, end = base + x1
                if let last = out.last, start <= last.end {
                    out[out.count - 1].end = max(last.end, end)
                } else {
                    out.append((start, end))
                }
            }
        }
        return out
    }
}

extension LabelStudioRLE {
    /// Encodes the union of spans as the Label Studio brush RLE of the 0/255 mask
    /// they cover: byte-identical with ``encode(_:)`` of that mask, without the mask.
    ///
    /// - Throws: `.invalidDimensions` for an empty image or one above 2^30 pixels.
    /// - Complexity: O(spans + height + runs).
    public static func encode(_ union: SpanUnion) throws(CoreError) -> [UInt8] {
        let wordCount = try brushWordCount(width: union.width, height: union.height)
        let pixels = union.width * union.height
        var writer = BitWriter(reservingCapacity: 256)
        writeHeader(&writer, .labelStudio(wordCount: wordCount))
        var cursor = 0
        for (start, end) in union.intervals() {
            if start > cursor { writeRun(&writer, value: 0, length: (start - cursor) * 4) }
            writeRun(&writer, value: 255, length: (end - start) * 4)
            cursor = end
        }
        if cursor < pixels { writeRun(&writer, value: 0, length: (pixels - cursor) * 4) }
        let padding = 8 - writer.bitCount % 8  // the converter pads 1...8 bits
        writer.write(0, width: padding)
        return writer.finish()
    }
}
