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
    /// - Complexity: O(vertices + columns crossed + boundaries * log boundaries).
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
        var boundaries = COCORLE.sortedBoundaries(
            COCORLE.polygonBoundaries(xs: xs, ys: ys, height: height, width: width), height: height)
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

    /// Where a column's run flips, as `column << 32 | row` (the linear index is
    /// `column * h + row`): for each pair of
    /// consecutive points of cocoapi's upsampled edge walk whose u differs, the pair
    /// (min u, min v) when min u falls on a column centre (u = 5 * col + 2).
    ///
    /// The set of pairs does not depend on the walk's direction, so each edge is
    /// handled on its own, visiting only the pairs that can record: for mostly
    /// horizontal edges (u steps every point) every fifth step, for steep edges
    /// (u steps rarely) the step at each column centre, found from the line
    /// equation and confirmed on cocoapi's own rounding. Work per edge is
    /// O(columns crossed), not O(upsampled length).
    static func polygonBoundaries(xs: [Int], ys: [Int], height h: Int, width w: Int) -> [UInt64] {
        // At most one record per column centre an edge spans inside the image: reserve
        // that much (an edge off the image records nothing and reserves nothing).
        let firstCentre = 2, lastCentre = 5 * (w - 1) + 2
        var spanned = 0
        for j in 0..<(xs.count - 1) {
            let low = max(min(xs[j], xs[j + 1]), firstCentre), high = min(max(xs[j], xs[j + 1]), lastCentre)
            if low <= high { spanned &+= (high &- low) / 5 &+ 1 }
        }
        var out: [UInt64] = []
        out.reserveCapacity(spanned)
        @inline(__always) func record(_ xd: Int, _ yd: Int) {
            // xd is min u with xd = 5 * column + 2, column in 0..<w (checked by callers).
            // cocoapi's row is ceil(clamp((yd + 0.5) / 5 - 0.5, 0, h)): (yd + 0.5) / 5 - 0.5
            // is (yd - 2) / 5, a whole number exactly when yd - 2 is a multiple of 5 and
            // at least 0.2 from one otherwise, so integer arithmetic gives the same row.
            let q = yd &- 2
            let row = q <= 0 ? 0 : min((q &+ 4) / 5, h)
            out.append(UInt64(truncatingIfNeeded: (xd &- 2) / 5) << 32 | UInt64(truncatingIfNeeded: row))
        }
        // Column centres on the 1/5 grid: u = 5c + 2 for c in 0..<w (firstCentre...lastCentre).
        for j in 0..<(xs.count - 1) {
            var x0 = xs[j], x1 = xs[j + 1], y0 = ys[j], y1 = ys[j + 1]
            let dx = abs(x1 - x0), dy = abs(y0 - y1)
            if dx == 0 && dy == 0 { continue }
            let flip = (dx >= dy && x0 > x1) || (dx < dy && y0 > y1)
            if flip {
                swap(&x0, &x1)
                swap(&y0, &y1)
            }
            if dx >= dy {
                // Points t = 0...dx: u = x0 + t, v = trunc(y0 + s t + 0.5); pair (t, t+1) has min u = x0 + t.
                let s = Double(y1 - y0) / Double(dx)
                @inline(__always) func v(_ t: Int) -> Int { Int(Double(y0) + s * Double(t) + 0.5) }
                var u = max(x0, firstCentre)
                u += ((2 - u) % 5 + 5) % 5  // next u with u mod 5 == 2
                let uEnd = min(x0 + dx - 1, lastCentre)
                while u <= uEnd {
                    let t = u - x0
                    record(u, min(v(t), v(t + 1)))
                    u += 5
                }
            } else {
                // Points t = 0...dy: v = y0 + t, u = trunc(x0 + s t + 0.5), monotone in t.
                let s = Double(x1 - x0) / Double(dy)
                @inline(__always) func u(_ t: Int) -> Int { Int(Double(x0) + s * Double(t) + 0.5) }
                let uStart = u(0), uEnd = u(dy)
                guard uStart != uEnd else { continue }
                let increasing = uEnd > uStart
                // Each transition X <-> X + 1 with X = 5c + 2 inside [min(u), max(u)).
                var xd = max(min(uStart, uEnd), firstCentre)
                xd += ((2 - xd) % 5 + 5) % 5
                let xdEnd = min(max(uStart, uEnd) - 1, lastCentre)
                while xd <= xdEnd {
                    // First t whose u is past X (above it when increasing, at or below it when not).
                    @inline(__always) func past(_ t: Int) -> Bool { increasing ? u(t) >= xd + 1 : u(t) <= xd }
                    // Clamped first so the conversion is in range.
                    let estimate = min(max((Double(xd) + 0.5 - Double(x0)) / s, 0), Double(dy))
                    var t = min(max(ceilInt(estimate), 1), dy)
                    while t > 1 && past(t - 1) { t -= 1 }
                    while t < dy && !past(t) { t += 1 }
                    record(xd, y0 + t - 1)
                    xd += 5
                }
            }
        }
        return out
    }

    /// The boundaries' linear indices (`column * height + row`), sorted: the
    /// records come a few per column, so they are bucketed by column (counting
    /// sort) and each column's few finished by insertion sort; O(k + columns).
    static func sortedBoundaries(_ records: [UInt64], height: Int) -> [UInt32] {
        guard records.count > 1 else { return records.map { linear($0, height) } }
        var low = UInt64.max, high: UInt64 = 0
        for r in records {
            low = min(low, r)
            high = max(high, r)
        }
        let first = Int(low >> 32), columns = Int(high >> 32) - first + 1
        guard columns <= 4 * records.count + 1024 else { return records.sorted().map { linear($0, height) } }
        var end = [Int](repeating: 0, count: columns)
        for r in records { end[Int(r >> 32) - first] += 1 }
        for c in 1..<columns { end[c] += end[c - 1] }
        var sorted = [UInt64](unsafeUninitializedCapacity: records.count) { sorted, count in
            // Filled from each column's end down (every slot is written once).
            for r in records.reversed() {
                let c = Int(r >> 32) - first
                end[c] -= 1
                sorted[end[c]] = r
            }
            count = records.count
        }
        // end[c] is now column c's start; a column holds a few records.
        sorted.withUnsafeMutableBufferPointer { sorted in
            for c in 0..<columns {
                let stop = c + 1 < columns ? end[c + 1] : sorted.count
                if stop - end[c] > 1 { UnsafeMutableBufferPointer(rebasing: sorted[end[c]..<stop]).insertionSort() }
            }
        }
        return sorted.map { linear($0, height) }
    }

    /// `column * height + row` of a `column << 32 | row` record.
    @inline(__always)
    static func linear(_ record: UInt64, _ height: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: Int(record >> 32) &* height &+ Int(record & 0xFFFF_FFFF))
    }

    /// Appends the mask end to sorted boundary indices, takes differences and drops
    /// zero runs the way cocoapi does (a zero merges the next count into the last).
    static func countsFromBoundaries(_ a: inout [UInt32], total: Int) -> [UInt32] {
        a.append(UInt32(truncatingIfNeeded: total))
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
