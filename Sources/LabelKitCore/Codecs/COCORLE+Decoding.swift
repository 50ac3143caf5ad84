extension COCORLE {
    /// Decodes to a row-major mask whose foreground bytes are `foreground`
    /// (pycocotools `decode` gives 1; PNG and Label Studio want 255).
    ///
    /// Smooth masks (few runs): run boundaries are bucketed by row, then the mask
    /// is written row by row from a per-column state that flips at each boundary,
    /// with no column-major copy. Noisy masks (more than one run per 16 pixels):
    /// boundaries are marked in a column-major buffer, turned into values by a
    /// running XOR 8 bytes at a time, and transposed in 8 x 8 tiles.
    ///
    /// - Complexity: O(width * height + runs).
    public func decode(foreground: UInt8 = 255) -> Mask {
        let h = height, w = width
        guard h > 0, w > 0 else { return Mask(width: w, height: h) }
        if counts.count * 16 > h * w { return decodeTransposed(foreground: foreground) }
        var mask = Mask(width: width, height: height)
        // Boundary positions (cumulative counts, excluding the end of the mask).
        var perRow = [Int](repeating: 0, count: h + 1)
        var initial = [UInt8](repeating: 0, count: w)  // value just before (x, 0)
        var boundaries: [Int] = []
        boundaries.reserveCapacity(counts.count)
        let total = h * w
        var position = 0
        for c in counts.dropLast() {
            position += Int(c)
            if position >= total { break }
            boundaries.append(position)
            perRow[position % h] += 1
        }
        // The value entering each column is the parity of boundaries before it.
        var parity: UInt8 = 0
        var k = 0
        for x in 0..<w {
            let columnStart = x * h
            while k < boundaries.count && boundaries[k] < columnStart {
                parity ^= foreground
                k += 1
            }
            initial[x] = parity
        }
        var rowStart = [Int](repeating: 0, count: h + 1)
        for y in 0..<h { rowStart[y + 1] = rowStart[y] + perRow[y] }
        var columnsByRow = [Int](repeating: 0, count: boundaries.count)
        rowStart.withUnsafeMutableBufferPointer { next in
            for t in boundaries {
                let y = t % h
                columnsByRow[next[y]] = t / h
                next[y] += 1
            }
        }
        // rowStart was advanced to the row ends; row y spans [end(y-1), end(y)).
        mask.bytes.withUnsafeMutableBufferPointer { out in
            initial.withUnsafeMutableBufferPointer { state in
                columnsByRow.withUnsafeBufferPointer { columns in
                    var i = 0
                    for y in 0..<h {
                        let end = rowStart[y]
                        while i < end {
                            state[columns[i]] ^= foreground
                            i &+= 1
                        }
                        (out.baseAddress! + y * w).update(from: state.baseAddress!, count: w)
                    }
                }
            }
        }
        return mask
    }

    /// The noisy-mask strategy of ``decode(foreground:)``, 8 columns at a time:
    /// boundaries are marked in a column-major strip, a running XOR turns marks
    /// into values, and the strip is transposed into the mask.
    func decodeTransposed(foreground: UInt8) -> Mask {
        let h = height, w = width
        let total = h * w
        var mask = Mask(width: w, height: h)
        var strip = [UInt8](repeating: 0, count: 8 * h + 8)
        mask.bytes.withUnsafeMutableBufferPointer { out in
            strip.withUnsafeMutableBufferPointer { strip in
                counts.withUnsafeBufferPointer { counts in
                    let raw = UnsafeMutableRawPointer(strip.baseAddress!)
                    var position = 0
                    var k = 0
                    var carry: UInt64 = 0
                    let last = counts.count - 1
                    var x0 = 0
                    while x0 < w {
                        let columns = min(8, w - x0)
                        let stripStart = x0 * h, stripEnd = stripStart + columns * h
                        strip.update(repeating: 0)
                        // Mark each boundary inside the strip (XOR: zero-length runs cancel).
                        while k < last {
                            let next = position &+ Int(counts[k])
                            if next >= stripEnd || next >= total { break }
                            strip[next &- stripStart] ^= 1
                            position = next
                            k &+= 1
                        }
                        // Running XOR: value(i) = parity of all marks at or before i.
                        let length = columns * h
                        ByteRuns.runningXOR(raw, count: length, carry: &carry)
                        // The value entering the next strip is the last one of this strip.
                        carry = UInt64(strip[length &- 1]) &* 0x0101_0101_0101_0101
                        ByteTranspose.transpose(
                            strip.baseAddress!, sourceStride: h, rows: columns, columns: h,
                            into: out.baseAddress! + x0, destinationStride: w, mapping: .scale(foreground))
                        x0 &+= 8
                    }
                }
            }
        }
        return mask
    }
}
