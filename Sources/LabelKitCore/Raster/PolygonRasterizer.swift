/// Fills polygons row by row with an active-edge table, by even-odd or non-zero
/// rule, giving exactly the pixels whose centres are inside or within tolerance of
/// an edge.
///
/// Pixels between crossings are filled as spans. A pixel is tested exactly (with
/// ``Polygon/contains(_:rule:tolerance:)``) only where the span logic could be
/// wrong: its centre lies next to a crossing (closer than the crossing's
/// horizontal uncertainty), or a vertex lies on or next to the row's centre line
/// (then the row's columns under the polygon are all tested). Both are rare for
/// real data, so the cost is that of a scanline fill.
enum PolygonRasterizer {
    /// One edge with its row-independent terms.
    struct Edge {
        var x1: Double, y1: Double
        /// dx / dy (0 for horizontal edges, which never cross a row line).
        var inverseSlope: Double
        var minY: Double, maxY: Double
        /// Horizontal distance within which a pixel centre must be tested exactly.
        var slack: Double
        /// +1 for an edge going down, -1 going up.
        var direction: Int
    }

    /// A crossing of the row's centre line.
    struct Crossing {
        var x: Double
        var slack: Double
        var direction: Int
    }

    /// Vertical distance of a vertex from a row's centre line below which the row
    /// is resolved pixel by pixel.
    static let vertexSlack = 1e-7

    /// `floor(value)` for values already clamped to a few pixels around the image
    /// (a truncating conversion, no libm call).
    @inline(__always)
    static func floorInt(_ value: Double) -> Int { Int(value + 64) - 64 }

    /// `ceil(value)` for the same clamped range.
    @inline(__always)
    static func ceilInt(_ value: Double) -> Int {
        let f = floorInt(value)
        return Double(f) == value ? f : f + 1
    }

    static func fill<Sink: SpanSink>(
        _ polygon: Polygon, rule: FillRule, width: Int, height: Int, into sink: inout Sink
    ) {
        guard !polygon.points.isEmpty, width > 0, height > 0 else { return }
        // Non-finite vertices have no pixels (and would poison the crossings).
        guard polygon.points.allSatisfy(\.isFinite), polygon.holes.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            return
        }
        let bounds = polygon.boundingBox
        let firstRow = max(0, Int(clamping: bounds.minY - 1.5, limit: height))
        let lastRow = min(height - 1, Int(clamping: bounds.maxY + 0.5, limit: height))
        guard firstRow <= lastRow else { return }
        let vertexCount = polygon.points.count + polygon.holes.reduce(0) { $0 + $1.count }
        var edges: [Edge] = []
        edges.reserveCapacity(vertexCount)
        var vertexYs: [Double] = []
        vertexYs.reserveCapacity(vertexCount)
        func addRing(_ ring: [Point]) {
            guard var previous = ring.last else { return }
            for p in ring {
                let dy = p.y - previous.y, dx = p.x - previous.x
                let inverseSlope = dy != 0 ? dx / dy : 0
                edges.append(
                    Edge(
                        x1: previous.x, y1: previous.y, inverseSlope: inverseSlope,
                        minY: min(previous.y, p.y), maxY: max(previous.y, p.y),
                        slack: 1e-7 * (1 + abs(inverseSlope)), direction: dy > 0 ? 1 : -1))
                vertexYs.append(p.y)
                previous = p
            }
        }
        addRing(polygon.points)
        for hole in polygon.holes { addRing(hole) }
        edges.sort { $0.minY < $1.minY }
        vertexYs.sort()
        let firstColumn = max(0, Int(clamping: bounds.minX - 1.5, limit: width))
        let lastColumn = min(width - 1, Int(clamping: bounds.maxX + 0.5, limit: width))
        let w = Double(width)
        let edgeCount = edges.count
        edges.withUnsafeBufferPointer { edges in
            vertexYs.withUnsafeBufferPointer { vertexYs in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: edgeCount) { active in
                    withUnsafeTemporaryAllocation(of: Crossing.self, capacity: edgeCount) { crossings in
                        var activeCount = 0
                        var nextEdge = 0
                        var nextVertex = 0
                        for row in firstRow...lastRow {
                            let y = Double(row) + 0.5
                            // Edges crossing this row's line: minY <= y < maxY.
                            while nextEdge < edgeCount && edges[nextEdge].minY <= y {
                                active[activeCount] = nextEdge
                                activeCount += 1
                                nextEdge += 1
                            }
                            var kept = 0
                            for k in 0..<activeCount where edges[active[k]].maxY > y {
                                active[kept] = active[k]
                                kept += 1
                            }
                            activeCount = kept
                            // A vertex on or next to the line makes the row ambiguous.
                            while nextVertex < vertexYs.count && vertexYs[nextVertex] < y - vertexSlack {
                                nextVertex += 1
                            }
                            var ambiguous = nextVertex < vertexYs.count && vertexYs[nextVertex] <= y + vertexSlack
                            var count = 0
                            if !ambiguous {
                                // Crossings in the order of the active list, which is kept sorted
                                // by x from row to row, so the insertion sort below is nearly free.
                                for k in 0..<activeCount {
                                    let edgeIndex = active[k]
                                    let e = edges[edgeIndex]
                                    if e.slack > 2 {
                                        ambiguous = true
                                        break
                                    }
                                    let item = Crossing(
                                        x: e.x1 + (y - e.y1) * e.inverseSlope, slack: e.slack, direction: e.direction)
                                    var j = count - 1
                                    while j >= 0 && crossings[j].x > item.x {
                                        crossings[j + 1] = crossings[j]
                                        active[j + 1] = active[j]
                                        j -= 1
                                    }
                                    crossings[j + 1] = item
                                    active[j + 1] = edgeIndex
                                    count += 1
                                }
                            }
                            if ambiguous {
                                if firstColumn <= lastColumn {
                                    for c in firstColumn...lastColumn
                                    where polygon.contains(Point(x: Double(c) + 0.5, y: y), rule: rule) {
                                        sink.span(row: row, columns: c..<(c + 1))
                                    }
                                }
                                continue
                            }
                            var winding = 0
                            var lastExact = -1
                            for k in 0..<count {
                                let crossing = crossings[k]
                                // A pixel centre within the crossing's slack is decided exactly.
                                let nearest = floorInt(min(max(crossing.x - 0.5, -8), w + 8) + 0.5)
                                if abs(crossing.x - 0.5 - Double(nearest)) <= crossing.slack && nearest >= 0
                                    && nearest < width && nearest != lastExact
                                {
                                    // Crossings are sorted, so a column tested twice would be adjacent.
                                    lastExact = nearest
                                    if polygon.contains(Point(x: Double(nearest) + 0.5, y: y), rule: rule) {
                                        sink.span(row: row, columns: nearest..<(nearest + 1))
                                    }
                                }
                                winding += crossing.direction
                                let inside = rule == .evenOdd ? (k & 1) == 0 : winding != 0
                                guard inside, k + 1 < count else { continue }
                                let next = crossings[k + 1]
                                // Centres strictly between the two uncertainty zones:
                                // c > startX - 0.5 and c < endX - 0.5.
                                let startX = min(max(crossing.x + crossing.slack - 0.5, -8), w + 8)
                                let endX = min(max(next.x - next.slack - 0.5, -8), w + 8)
                                guard startX < endX else { continue }
                                let start = max(0, floorInt(startX) + 1)
                                let end = min(width, ceilInt(endX))
                                if start < end { sink.span(row: row, columns: start..<end) }
                            }
                        }
                    }
                }
            }
        }
    }
}
