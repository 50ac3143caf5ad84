extension COCORLE {
    /// Decodes to a row-major mask whose foreground bytes are `foreground`
    /// (pycocotools `decode` gives 1; PNG and Label Studio want 255).
    ///
    /// Run boundaries are bucketed by row, then the mask is written row by row
    /// from a per-column state that flips at each boundary, so memory is written
    /// once, in order, with no column-major copy.
    ///
    /// - Complexity: O(width * height + runs).
    public func decode(foreground: UInt8 = 255) -> Mask {
        var mask = Mask(width: width, height: height)
        let h = height, w = width
        guard h > 0, w > 0 else { return mask }
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
}
