/// One polygon edge as the scanline fill uses it: the rows whose centre line it
/// crosses and how far its crossing may be off.
struct ScanEdge {
    /// The edge's first vertex.
    var x1: Double, y1: Double
    /// dx / dy.
    var inverseSlope: Double
    /// Horizontal distance from the crossing within which a pixel centre is tested exactly:
    /// the crossing's rounding error plus the fill's tolerance, both grown by the slope.
    var slack: Double
    /// +1 for an edge going down, -1 going up.
    var direction: Int
    /// The first and last rows whose centre `y` has `minY <= y < maxY`, within the image.
    var firstRow: Int, lastRow: Int

    /// A slack above this could put two pixel centres in one crossing's zone (or make
    /// near zones of neighbouring crossings overlap out of order), so a row crossed by
    /// such an edge is resolved pixel by pixel. Only edges within about 1e-7 rad of
    /// horizontal, or with coordinates beyond 1e13, have it.
    static let steepSlack = 0.25

    /// Vertical distance of a vertex from a row's centre line below which the row is
    /// resolved pixel by pixel (the crossing count there depends on rounding).
    static let vertexSlack = 1e-7

    /// The edge from `a` to `b` if it crosses a row centre line in `rows`; nil when it
    /// is horizontal or crosses none.
    ///
    /// - Parameter magnitude: the largest coordinate magnitude of the polygon (at
    ///   least the image size), which bounds the crossing's rounding error.
    @inline(__always)
    init?(from a: Point, to b: Point, rows: ClosedRange<Int>, magnitude: Double) {
        let minY = min(a.y, b.y), maxY = max(a.y, b.y)
        // Rows r with minY <= r + 0.5 < maxY. On values clamped to a few rows around
        // the image the subtraction is exact except for -0.5 < y < 0, where it can be
        // off by one below row 0.
        let lo = Double(rows.lowerBound) - 2, hi = Double(rows.upperBound) + 2
        let first = max(rows.lowerBound, ceilInt(min(max(minY, lo), hi) - 0.5))
        let last = min(rows.upperBound, ceilInt(min(max(maxY, lo), hi) - 0.5) - 1)
        guard first <= last else { return nil }
        let dx = b.x - a.x, dy = b.y - a.y
        let inverse = dx / dy
        x1 = a.x
        y1 = a.y
        inverseSlope = inverse
        // 1e-7 covers the tolerance (1e-9 across the edge) and the rounding of x1 +
        // (y - y1) * dx / dy for coordinates near the image; 1e-14 per unit of
        // magnitude covers the rounding of far-away vertices. Non-finite terms
        // (overflowing differences) give an infinite slack: the rows go pixel by pixel.
        let grown = (1e-7 + 1e-14 * magnitude) * (1 + abs(inverse))
        slack = dx.isFinite && dy.isFinite && grown.isFinite ? grown : .infinity
        direction = dy > 0 ? 1 : -1
        firstRow = first
        lastRow = last
    }
}
