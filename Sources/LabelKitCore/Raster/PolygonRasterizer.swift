/// Fills polygons row by row, by even-odd or non-zero rule, giving exactly the
/// pixels whose centres are inside or within tolerance of an edge.
///
/// The rows are cut into intervals at every row where an edge starts or ends; within
/// one, the same edges cross every row, and when their order is the same at both
/// ends it is the same throughout (straight edges), so the crossings are ordered once
/// per interval, not per row. Pixels between crossings are filled as spans. A pixel
/// is tested exactly (with ``Polygon/contains(_:rule:tolerance:)``) only where the
/// span logic could be wrong: its centre lies within a crossing's slack (see
/// ``ScanEdge``), or a vertex lies on or next to the row's centre line, or a nearly
/// horizontal edge crosses it (then the row's columns under the polygon are all
/// tested). Both are rare for real data, so the cost is that of a scanline fill.
enum PolygonRasterizer {
    static func fill<Sink: SpanSink>(
        _ polygon: Polygon, rule: FillRule, width: Int, height: Int, into sink: inout Sink
    ) {
        guard !polygon.points.isEmpty, width > 0, height > 0 else { return }
        var bounds = RingBounds()
        bounds.add(polygon.points)
        for hole in polygon.holes { bounds.add(hole) }
        // Non-finite vertices have no pixels (and would poison the crossings).
        guard bounds.isFinite else { return }
        // Every ring counts: under even-odd a "hole" outside the outer ring is filled.
        let firstRow = max(0, Int(clamping: bounds.minY - 1.5, limit: height))
        let lastRow = min(height - 1, Int(clamping: bounds.maxY + 0.5, limit: height))
        let firstColumn = max(0, Int(clamping: bounds.minX - 1.5, limit: width))
        let lastColumn = min(width - 1, Int(clamping: bounds.maxX + 0.5, limit: width))
        guard firstRow <= lastRow, firstColumn <= lastColumn else { return }
        let scan = RowScan(
            polygon: polygon, rule: rule, width: width, rows: firstRow...lastRow, columns: firstColumn...lastColumn)
        let n = bounds.vertexCount
        // One scratch block: the edges, the active edges, a row's crossings, the edge
        // order, the exact rows. One malloc: a temporary allocation this size costs
        // more, as it asks the thread for its stack bounds each time.
        let edgeBytes = n * MemoryLayout<ScanEdge>.stride, crossingBytes = n * MemoryLayout<RowScan.Crossing>.stride
        let base = UnsafeMutableRawPointer.allocate(byteCount: 2 * edgeBytes + crossingBytes + 16 * n, alignment: 16)
        defer { base.deallocate() }
        let edges = base.bindMemory(to: ScanEdge.self, capacity: 2 * n)
        let crossings = (base + 2 * edgeBytes).bindMemory(to: RowScan.Crossing.self, capacity: n)
        let integers = (base + 2 * edgeBytes + crossingBytes).bindMemory(to: Int.self, capacity: 2 * n)
        var table = EdgeTable(
            edges: edges, order: integers, exactRows: integers + n, rows: scan.rows,
            magnitude: max(Double(max(width, height)), bounds.magnitude))
        table.add(polygon.points)
        for hole in polygon.holes { table.add(hole) }
        table.sort()
        scan.run(table, active: edges + n, crossings: crossings, into: &sink)
    }

    /// The extent, vertex count and finiteness of a polygon's rings.
    struct RingBounds {
        var minX = Double.infinity, minY = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity
        var vertexCount = 0
        var isFinite = true

        /// The largest coordinate magnitude.
        var magnitude: Double { max(max(-minX, maxX), max(-minY, maxY)) }

        mutating func add(_ ring: [Point]) {
            vertexCount += ring.count
            for p in ring {
                isFinite = isFinite && p.isFinite
                minX = min(minX, p.x)
                maxX = max(maxX, p.x)
                minY = min(minY, p.y)
                maxY = max(maxY, p.y)
            }
        }
    }

    /// A polygon's edges that cross a row centre line of the image, their order by
    /// first row, and the rows a vertex on or next to their centre line makes
    /// ambiguous, sorted.
    struct EdgeTable {
        let edges: UnsafeMutablePointer<ScanEdge>
        /// `firstRow << 32 | index` of every edge; sorted by ``sort()``.
        let order: UnsafeMutablePointer<Int>
        let exactRows: UnsafeMutablePointer<Int>
        let rows: ClosedRange<Int>
        let magnitude: Double
        var edgeCount = 0
        var exactCount = 0

        init(
            edges: UnsafeMutablePointer<ScanEdge>, order: UnsafeMutablePointer<Int>,
            exactRows: UnsafeMutablePointer<Int>, rows: ClosedRange<Int>, magnitude: Double
        ) {
            self.edges = edges
            self.order = order
            self.exactRows = exactRows
            self.rows = rows
            self.magnitude = magnitude
        }

        /// The `rank`th edge by first row (after ``sort()``).
        @inline(__always)
        subscript(rank: Int) -> ScanEdge { edges[order[rank] & 0xFFFF_FFFF] }

        mutating func add(_ ring: [Point]) {
            guard var previous = ring.last else { return }
            let lo = Double(rows.lowerBound) - 1, hi = Double(rows.upperBound) + 1
            for p in ring {
                if let edge = ScanEdge(from: previous, to: p, rows: rows, magnitude: magnitude) {
                    edges[edgeCount] = edge
                    // Rows are below 2^31 and edges below 2^32.
                    order[edgeCount] = edge.firstRow << 32 | edgeCount
                    edgeCount += 1
                }
                // The row whose centre is nearest the vertex.
                let row = floorInt(min(max(p.y, lo), hi))
                if abs(p.y - (Double(row) + 0.5)) <= ScanEdge.vertexSlack && rows.contains(row) {
                    exactRows[exactCount] = row
                    exactCount += 1
                }
                previous = p
            }
        }

        /// Sorts the order and the exact rows.
        mutating func sort() {
            var order = UnsafeMutableBufferPointer(start: self.order, count: edgeCount)
            order.sortFew()
            var rows = UnsafeMutableBufferPointer(start: exactRows, count: exactCount)
            rows.sortFew()
        }
    }
}
