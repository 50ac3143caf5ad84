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
    /// One non-horizontal or horizontal edge, oriented as drawn.
    struct Edge {
        var x1: Double, y1: Double, x2: Double, y2: Double
        var minY: Double, maxY: Double
    }

    /// A crossing of the row's centre line.
    struct Crossing {
        var x: Double
        /// Horizontal distance within which a pixel centre must be tested exactly.
        var slack: Double
        /// +1 for an edge going down, -1 going up.
        var direction: Int
    }

    /// Vertical distance of a vertex from a row's centre line below which the row
    /// is resolved pixel by pixel.
    static let vertexSlack = 1e-7

    static func fill<Sink: SpanSink>(
        _ polygon: Polygon, rule: FillRule, width: Int, height: Int, into sink: inout Sink
    ) {
        let points = polygon.points
        guard !points.isEmpty, width > 0, height > 0 else { return }
        let bounds = polygon.boundingBox
        let firstRow = max(0, Int(clamping: bounds.minY - 1.5, limit: height))
        let lastRow = min(height - 1, Int(clamping: bounds.maxY + 0.5, limit: height))
        guard firstRow <= lastRow else { return }
        var edges: [Edge] = []
        edges.reserveCapacity(points.count)
        for ring in polygon.rings {
            guard var previous = ring.last else { continue }
            for p in ring {
                edges.append(
                    Edge(
                        x1: previous.x, y1: previous.y, x2: p.x, y2: p.y,
                        minY: min(previous.y, p.y), maxY: max(previous.y, p.y)))
                previous = p
            }
        }
        edges.sort { $0.minY < $1.minY }
        let firstColumn = max(0, Int(clamping: bounds.minX - 1.5, limit: width))
        let lastColumn = min(width - 1, Int(clamping: bounds.maxX + 0.5, limit: width))
        var active: [Int] = []
        var crossings: [Crossing] = []
        var nextEdge = 0
        for row in firstRow...lastRow {
            let y = Double(row) + 0.5
            while nextEdge < edges.count && edges[nextEdge].minY <= y + vertexSlack {
                active.append(nextEdge)
                nextEdge += 1
            }
            active.removeAll { edges[$0].maxY < y - vertexSlack }
            crossings.removeAll(keepingCapacity: true)
            var ambiguous = false
            for index in active {
                let e = edges[index]
                if abs(e.y1 - y) < vertexSlack || abs(e.y2 - y) < vertexSlack {
                    ambiguous = true
                    break
                }
                if (e.y1 > y) != (e.y2 > y) {
                    let dy = e.y2 - e.y1, dx = e.x2 - e.x1
                    let slack = 1e-7 * (1 + abs(dx / dy))
                    if slack > 2 {
                        ambiguous = true
                        break
                    }
                    crossings.append(
                        Crossing(x: e.x1 + (y - e.y1) * dx / dy, slack: slack, direction: dy > 0 ? 1 : -1))
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
            fillRow(row: row, y: y, crossings: &crossings, polygon: polygon, rule: rule, width: width, into: &sink)
        }
    }

    @inline(__always)
    static func fillRow<Sink: SpanSink>(
        row: Int, y: Double, crossings: inout [Crossing], polygon: Polygon, rule: FillRule, width: Int,
        into sink: inout Sink
    ) {
        guard !crossings.isEmpty else { return }
        // Insertion sort: a row has few crossings.
        for i in 1..<crossings.count {
            let item = crossings[i]
            var j = i - 1
            while j >= 0 && crossings[j].x > item.x {
                crossings[j + 1] = crossings[j]
                j -= 1
            }
            crossings[j + 1] = item
        }
        var winding = 0
        for k in 0..<crossings.count {
            let crossing = crossings[k]
            // Pixel centres next to the crossing are decided exactly.
            let lo = max(0, Int((crossing.x - crossing.slack - 0.5).rounded(.up)))
            let hi = min(width - 1, Int((crossing.x + crossing.slack - 0.5).rounded(.down)))
            if lo <= hi {
                for c in lo...hi where polygon.contains(Point(x: Double(c) + 0.5, y: y), rule: rule) {
                    sink.span(row: row, columns: c..<(c + 1))
                }
            }
            winding += crossing.direction
            let inside = rule == .evenOdd ? (k & 1) == 0 : winding != 0
            guard inside, k + 1 < crossings.count else { continue }
            let next = crossings[k + 1]
            // Centres strictly between the two uncertainty zones.
            let startX = crossing.x + crossing.slack, endX = next.x - next.slack
            guard startX < endX else { continue }
            let start = max(0, Int(clampedColumn: startX - 0.5, width: width) + 1)
            let end = min(width, Int(clampedColumn: (endX - 0.5).nextDown, width: width) + 1)
            if start < end { sink.span(row: row, columns: start..<end) }
        }
    }
}

extension Int {
    /// `floor(value)` clamped to `-2...width + 1`, for span ends.
    init(clampedColumn value: Double, width: Int) {
        if !(value > -2) {
            self = -2
        } else if value > Double(width + 1) {
            self = width + 1
        } else {
            self = Int(value.rounded(.down))
        }
    }
}
