extension COCORLE {
    /// Rasterizes a polygon with COCO's own algorithm (pycocotools `frPyObjects` on a
    /// polygon, cocoapi `rleFrPoly`), reproducing its results exactly.
    ///
    /// Vertices are snapped to a 1/5-pixel grid with `trunc(5 * v + 0.5)`, edges are
    /// walked on that grid, and a column's boundary is recorded where the walk
    /// crosses the column's centre line. This is **not** pixel-centre sampling: pixel
    /// centres on a left or top edge are outside, on a right or bottom edge inside.
    ///
    ///     let rle = try COCORLE(polygon: [1, 1, 4, 1, 4, 3, 1, 3], height: 5, width: 6)
    ///     rle.compressedCounts   // "6230009"
    ///
    /// - Parameter polygon: flat `[x1, y1, x2, y2, ...]` in pixels (implicitly closed).
    /// - Throws: `.invalidGeometry` for an odd number of values, a non-finite or
    ///   oversized coordinate; `.invalidDimensions` for a bad size.
    /// - Complexity: O(perimeter in 1/5 pixels + boundaries * log boundaries).
    public init(polygon: [Double], height: Int, width: Int) throws(CoreError) {
        try COCORLE.validate(height: height, width: width)
        guard polygon.count % 2 == 0 else {
            throw CoreError(.invalidGeometry, "polygon has \(polygon.count) coordinates, an odd number")
        }
        let limit = 1e8
        var xs: [Int] = [], ys: [Int] = []
        xs.reserveCapacity(polygon.count / 2 + 1)
        ys.reserveCapacity(polygon.count / 2 + 1)
        for j in stride(from: 0, to: polygon.count, by: 2) {
            let x = polygon[j], y = polygon[j + 1]
            guard x.isFinite, y.isFinite, abs(x) < limit, abs(y) < limit else {
                throw CoreError(
                    .invalidGeometry, "polygon vertex \(j / 2) = (\(x), \(y)) is not finite or beyond ±1e8")
            }
            xs.append(Int(5 * x + 0.5))
            ys.append(Int(5 * y + 0.5))
        }
        guard let x0 = xs.first, let y0 = ys.first else {
            self.init(unchecked: height, width, [UInt32(height * width)])
            return
        }
        xs.append(x0)
        ys.append(y0)
        var steps = 0
        for j in 0..<(xs.count - 1) { steps += max(abs(xs[j + 1] - xs[j]), abs(ys[j + 1] - ys[j])) + 1 }
        guard steps <= 1 << 30 else {
            throw CoreError(.invalidGeometry, "polygon perimeter of \(steps / 5) pixels is too large to rasterize")
        }
        var boundaries = COCORLE.polygonBoundaries(xs: xs, ys: ys, height: height, width: width)
        self.init(unchecked: height, width, COCORLE.countsFromBoundaries(&boundaries, total: height * width))
    }

    /// A box `[x, y, w, h]` rasterized as pycocotools `frBbox`: the polygon
    /// (x, y), (x, y + h), (x + w, y + h), (x + w, y).
    ///
    /// - Throws: as ``init(polygon:height:width:)``.
    public init(box: [Double], height: Int, width: Int) throws(CoreError) {
        guard box.count == 4 else {
            throw CoreError(.invalidGeometry, "a box needs 4 numbers [x, y, w, h], got \(box.count)")
        }
        let x = box[0], y = box[1], xe = box[0] + box[2], ye = box[1] + box[3]
        try self.init(polygon: [x, y, x, ye, xe, ye, xe, y], height: height, width: width)
    }

    /// Walks the upsampled edges and returns the linear indices (x * h + y) where a
    /// column's run flips, in walk order.
    static func polygonBoundaries(xs: [Int], ys: [Int], height h: Int, width w: Int) -> [UInt32] {
        var out: [UInt32] = []
        var hasPrevious = false
        var pu = 0, pv = 0
        let hd = Double(h)
        for j in 0..<(xs.count - 1) {
            var xs0 = xs[j], xe = xs[j + 1], ys0 = ys[j], ye = ys[j + 1]
            let dx = abs(xe - xs0), dy = abs(ys0 - ye)
            let flip = (dx >= dy && xs0 > xe) || (dx < dy && ys0 > ye)
            if flip {
                swap(&xs0, &xe)
                swap(&ys0, &ye)
            }
            let n = dx >= dy ? dx : dy
            let s = dx >= dy ? Double(ye - ys0) / Double(dx) : Double(xe - xs0) / Double(dy)
            for d in 0...n {
                let t = flip ? n - d : d
                let u: Int, v: Int
                if n == 0 {
                    u = xs0  // a zero-length edge: its v is never used
                    v = ys0
                } else if dx >= dy {
                    u = t + xs0
                    v = Int(Double(ys0) + s * Double(t) + 0.5)
                } else {
                    v = t + ys0
                    u = Int(Double(xs0) + s * Double(t) + 0.5)
                }
                if hasPrevious && u != pu {
                    let xd = Double(u < pu ? u : u - 1)
                    let column = (xd + 0.5) / 5 - 0.5
                    if column.rounded(.down) == column && column >= 0 && column <= Double(w - 1) {
                        var row = (Double(v < pv ? v : pv) + 0.5) / 5 - 0.5
                        if row < 0 { row = 0 } else if row > hd { row = hd }
                        row.round(.up)
                        out.append(UInt32(truncatingIfNeeded: Int(column) * h + Int(row)))
                    }
                }
                pu = u
                pv = v
                hasPrevious = true
            }
        }
        return out
    }

    /// Sorts boundary indices, appends the mask end, takes differences and drops
    /// zero runs the way cocoapi does (a zero merges the next count into the last).
    static func countsFromBoundaries(_ a: inout [UInt32], total: Int) -> [UInt32] {
        a.append(UInt32(truncatingIfNeeded: total))
        a.sort()
        var previous: UInt32 = 0
        for j in a.indices {
            let t = a[j]
            a[j] = t &- previous
            previous = t
        }
        var counts: [UInt32] = [a[0]]
        counts.reserveCapacity(a.count)
        var j = 1
        while j < a.count {
            if a[j] > 0 {
                counts.append(a[j])
                j += 1
            } else {
                j += 1
                if j < a.count {
                    counts[counts.count - 1] &+= a[j]
                    j += 1
                }
            }
        }
        return counts
    }
}
