extension PolygonRasterizer {
    /// One polygon's fill over the rows and columns its bounds cover, interval by
    /// interval of rows crossed by the same edges.
    struct RowScan {
        /// An edge's crossing of a row's centre line, with the columns whose centres
        /// lie within its slack (`nearFirst > nearLast` when there are none; at most one
        /// otherwise, as the slack is at most ``ScanEdge/steepSlack``). Columns before
        /// `nearFirst` and after `nearLast` are decided by the crossing's side.
        struct Crossing {
            var x: Double
            var nearFirst: Int, nearLast: Int
            var direction: Int
        }

        let polygon: Polygon
        let rule: FillRule
        let width: Int
        let rows: ClosedRange<Int>
        let columns: ClosedRange<Int>

        /// Fills every row.
        ///
        /// - Parameters:
        ///   - active: room for every edge of the table.
        ///   - crossings: room for every edge of the table.
        func run<Sink: SpanSink>(
            _ table: EdgeTable, active: UnsafeMutablePointer<ScanEdge>, crossings: UnsafeMutablePointer<Crossing>,
            into sink: inout Sink
        ) {
            let exactRows = table.exactRows
            var activeCount = 0, nextEdge = 0, nextExact = 0
            var row = rows.lowerBound
            while row <= rows.upperBound {
                while nextEdge < table.edgeCount && table[nextEdge].firstRow <= row {
                    active[activeCount] = table[nextEdge]
                    activeCount += 1
                    nextEdge += 1
                }
                // Drop the edges that ended; the interval ends before the next change.
                var end = rows.upperBound
                if nextEdge < table.edgeCount { end = table[nextEdge].firstRow - 1 }
                var kept = 0, steep = false
                for k in 0..<activeCount {
                    let lastRow = active[k].lastRow
                    guard lastRow >= row else { continue }
                    end = min(end, lastRow)
                    steep = steep || active[k].slack > ScanEdge.steepSlack
                    if kept != k { active[kept] = active[k] }
                    kept += 1
                }
                activeCount = kept
                while nextExact < table.exactCount && exactRows[nextExact] < row { nextExact += 1 }
                if nextExact < table.exactCount {
                    if exactRows[nextExact] == row { steep = true }
                    end = min(end, exactRows[nextExact] - 1)
                }
                if steep {
                    // A vertex on the row's centre line or a nearly horizontal edge: pixel by pixel.
                    end = max(end, row)
                    for r in row...end { fillExactly(row: r, into: &sink) }
                } else if activeCount == 2 {
                    pairs(active[0], active[1], rows: row...end, into: &sink)
                } else if activeCount > 0 {
                    interval(active, count: activeCount, rows: row...end, crossings: crossings, into: &sink)
                } else if nextEdge == table.edgeCount && nextExact == table.exactCount {
                    return
                }
                row = end + 1
            }
        }

        /// The rows crossed by exactly two edges: the pixels between the crossings,
        /// whichever comes first (by either rule, a point between the only two crossings
        /// of closed rings is inside), and the near columns tested exactly.
        @inline(__always)
        func pairs<Sink: SpanSink>(_ a: ScanEdge, _ b: ScanEdge, rows interval: ClosedRange<Int>, into sink: inout Sink)
        {
            var y = Double(interval.lowerBound) + 0.5
            for row in interval {
                let p = crossing(a, y: y), q = crossing(b, y: y)
                y += 1
                // Each zone holds at most one column, so the columns strictly between the
                // zones are those after the left zone's end and before the right zone's
                // start; when the zones overlap, this range is empty either way.
                let start = max(min(p.nearLast, q.nearLast) + 1, 0)
                let end = min(max(p.nearFirst, q.nearFirst), width)
                if start < end { sink.span(row: row, columns: start..<end) }
                let pNear = p.nearFirst <= p.nearLast
                if pNear { testExactly(row: row, column: p.nearFirst, into: &sink) }
                if q.nearFirst <= q.nearLast && !(pNear && p.nearFirst == q.nearFirst) {
                    testExactly(row: row, column: q.nearFirst, into: &sink)
                }
            }
        }

        /// The rows of an interval crossed by three or more edges. The edges are put in
        /// order of their crossings on the first row; if the order holds on the last row,
        /// it holds on every row between (two straight edges in order at both ends are
        /// in order between them), otherwise each row is ordered on its own.
        func interval<Sink: SpanSink>(
            _ active: UnsafeMutablePointer<ScanEdge>, count: Int, rows interval: ClosedRange<Int>,
            crossings: UnsafeMutablePointer<Crossing>, into sink: inout Sink
        ) {
            let firstY = Double(interval.lowerBound) + 0.5, lastY = Double(interval.upperBound) + 0.5
            for k in 0..<count { crossings[k] = crossing(active[k], y: firstY) }
            Self.sort(crossings, count: count, carrying: active)
            var ordered = true
            var previous = -Double.infinity
            for k in 0..<count {
                let x = crossing(active[k], y: lastY).x
                ordered = ordered && previous <= x
                previous = x
            }
            // Inside between crossings 0 and 1, 2 and 3, ... only: by even-odd, or by
            // non-zero when each such pair's directions cancel.
            if ordered && count % 2 == 0 && (rule == .evenOdd || Self.pairsCancel(active, count: count)) {
                if count == 4 {
                    quads(active[0], active[1], active[2], active[3], rows: interval, into: &sink)
                } else {
                    alternating(active, count: count, rows: interval, into: &sink)
                }
                return
            }
            var y = firstY
            for row in interval {
                if row != interval.lowerBound {
                    for k in 0..<count { crossings[k] = crossing(active[k], y: y) }
                    if !ordered { Self.sort(crossings, count: count, carrying: active) }
                }
                spans(row: row, crossings: crossings, count: count, into: &sink)
                y += 1
            }
        }

        /// The rows of an interval crossed by four edges in this order, inside between
        /// the first two and between the last two only.
        @inline(__always)
        func quads<Sink: SpanSink>(
            _ a: ScanEdge, _ b: ScanEdge, _ c: ScanEdge, _ d: ScanEdge, rows interval: ClosedRange<Int>,
            into sink: inout Sink
        ) {
            var y = Double(interval.lowerBound) + 0.5
            for row in interval {
                let p = crossing(a, y: y), q = crossing(b, y: y), r = crossing(c, y: y), s = crossing(d, y: y)
                y += 1
                var lastExact = -1
                testNear(p, row: row, lastExact: &lastExact, into: &sink)
                span(row: row, from: p, to: q, into: &sink)
                testNear(q, row: row, lastExact: &lastExact, into: &sink)
                testNear(r, row: row, lastExact: &lastExact, into: &sink)
                span(row: row, from: r, to: s, into: &sink)
                testNear(s, row: row, lastExact: &lastExact, into: &sink)
            }
        }

        /// The rows of an interval crossed by edges in this order, inside between
        /// crossings 0 and 1, 2 and 3, and so on.
        func alternating<Sink: SpanSink>(
            _ edges: UnsafeMutablePointer<ScanEdge>, count: Int, rows interval: ClosedRange<Int>, into sink: inout Sink
        ) {
            var y = Double(interval.lowerBound) + 0.5
            for row in interval {
                var lastExact = -1
                for k in stride(from: 0, to: count - 1, by: 2) {
                    let p = crossing(edges[k], y: y), q = crossing(edges[k + 1], y: y)
                    testNear(p, row: row, lastExact: &lastExact, into: &sink)
                    span(row: row, from: p, to: q, into: &sink)
                    testNear(q, row: row, lastExact: &lastExact, into: &sink)
                }
                y += 1
            }
        }

        /// Whether the directions of edges 0 and 1, 2 and 3, ... cancel, so the winding
        /// number is non-zero only between the two of a pair.
        static func pairsCancel(_ edges: UnsafeMutablePointer<ScanEdge>, count: Int) -> Bool {
            for k in stride(from: 0, to: count - 1, by: 2) where edges[k].direction + edges[k + 1].direction != 0 {
                return false
            }
            return true
        }

        /// Emits the columns strictly between two ordered crossings' near zones.
        @inline(__always)
        func span<Sink: SpanSink>(row: Int, from left: Crossing, to right: Crossing, into sink: inout Sink) {
            let start = max(left.nearLast + 1, 0), end = min(right.nearFirst, width)
            if start < end { sink.span(row: row, columns: start..<end) }
        }

        /// Tests a crossing's near column, if it has one that was not tested for the
        /// crossing before it.
        @inline(__always)
        func testNear<Sink: SpanSink>(_ crossing: Crossing, row: Int, lastExact: inout Int, into sink: inout Sink) {
            let near = crossing.nearFirst
            guard near <= crossing.nearLast && near != lastExact else { return }
            lastExact = near
            testExactly(row: row, column: near, into: &sink)
        }

        /// Sorts crossings by `x`, moving their edges along.
        static func sort(
            _ crossings: UnsafeMutablePointer<Crossing>, count: Int, carrying edges: UnsafeMutablePointer<ScanEdge>
        ) {
            for i in 1..<count where crossings[i - 1].x > crossings[i].x {
                let item = crossings[i], edge = edges[i]
                var j = i
                while j > 0 && crossings[j - 1].x > item.x {
                    crossings[j] = crossings[j - 1]
                    edges[j] = edges[j - 1]
                    j -= 1
                }
                crossings[j] = item
                edges[j] = edge
            }
        }

        /// An edge's crossing of the centre line at `y`, with its near columns: those
        /// with `x - slack < c + 0.5 <= x + slack`.
        ///
        /// Their ends are rounded with ``roundedToInt(_:)`` instead of an exact floor; a
        /// tie moves an end by one column, at a pixel centre exactly `slack` from the
        /// crossing, which is far inside the slack's margin (see ``ScanEdge``), so either
        /// side is right. A crossing off the image is clamped to 4 pixels beyond it,
        /// which leaves its spans and near column off the image too.
        @inline(__always)
        func crossing(_ e: ScanEdge, y: Double) -> Crossing {
            let x = e.x1 + (y - e.y1) * e.inverseSlope
            let low = -4.0, high = Double(width) + 4
            let clamped = x < low ? low : (x > high ? high : x)
            // floor(v) is round(v - 0.5) but at ties, for v = x -/+ slack - 0.5.
            return Crossing(
                x: x, nearFirst: roundedToInt(clamped - (1 + e.slack)) &+ 1,
                nearLast: roundedToInt(clamped + (e.slack - 1)), direction: e.direction)
        }

        /// `value` rounded to the nearest integer (ties to even) for |value| < 2^50,
        /// without a range check: adding 1.5 * 2^52 leaves the integer in the low 51 bits.
        @inline(__always)
        func roundedToInt(_ value: Double) -> Int {
            Int(bitPattern: UInt((value + 6_755_399_441_055_744.0).bitPattern) << 13) >> 13
        }

        /// Emits a row's spans from its ordered crossings, testing exactly the pixel
        /// centres within a crossing's slack.
        @inline(__always)
        func spans<Sink: SpanSink>(
            row: Int, crossings: UnsafeMutablePointer<Crossing>, count: Int, into sink: inout Sink
        ) {
            let evenOdd = rule == .evenOdd
            var winding = 0
            var inside = false
            var lastExact = -1
            for k in 0..<count {
                let crossing = crossings[k]
                if inside { span(row: row, from: crossings[k - 1], to: crossing, into: &sink) }
                // Near columns do not decrease from crossing to crossing, so a column
                // near two of them is tested once.
                testNear(crossing, row: row, lastExact: &lastExact, into: &sink)
                winding &+= crossing.direction
                inside = evenOdd ? (k & 1) == 0 : winding != 0
            }
        }

        /// Emits pixel `column` of `row` if it is on the image and its centre is inside.
        @inline(__always)
        func testExactly<Sink: SpanSink>(row: Int, column: Int, into sink: inout Sink) {
            guard column >= 0 && column < width,
                polygon.contains(Point(x: Double(column) + 0.5, y: Double(row) + 0.5), rule: rule)
            else { return }
            sink.span(row: row, columns: column..<(column + 1))
        }

        /// Tests every column under the polygon's bounds on an ambiguous row.
        func fillExactly<Sink: SpanSink>(row: Int, into sink: inout Sink) {
            let y = Double(row) + 0.5
            for c in columns where polygon.contains(Point(x: Double(c) + 0.5, y: y), rule: rule) {
                sink.span(row: row, columns: c..<(c + 1))
            }
        }
    }
}
