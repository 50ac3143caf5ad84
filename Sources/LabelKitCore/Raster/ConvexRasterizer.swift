/// A convex shape that can report, per row, the x range it covers.
protocol ConvexRows {
    /// The approximate x range covered on the horizontal line `y` (lower > upper
    /// when none); ends are confirmed with ``contains(_:_:)``.
    func rowInterval(_ y: Double) -> (Double, Double)
    /// The exact inside-or-on test of the pixel centre `(x, y)`.
    func contains(_ x: Double, _ y: Double) -> Bool
}

extension RectTest: ConvexRows {}
extension EllipseTest: ConvexRows {}

/// A disc with its tolerance bound.
struct DiscTest: ConvexRows {
    let disc: Disc
    let tolerance: Double

    func rowInterval(_ y: Double) -> (Double, Double) { disc.rowInterval(y, tolerance: tolerance) }
    func contains(_ x: Double, _ y: Double) -> Bool {
        disc.contains(Point(x: x, y: y), tolerance: tolerance)
    }
}

/// A capsule as the union of its band and its two end discs.
struct CapsuleTest: ConvexRows {
    let capsule: Capsule
    let band: RectTest?
    let startDisc: Disc, endDisc: Disc
    let tolerance: Double

    init(_ capsule: Capsule, tolerance: Double) {
        self.capsule = capsule
        self.tolerance = tolerance
        startDisc = Disc(center: capsule.start, radius: capsule.radius)
        endDisc = Disc(center: capsule.end, radius: capsule.radius)
        let dx = capsule.end.x - capsule.start.x, dy = capsule.end.y - capsule.start.y
        let length = (dx * dx + dy * dy).squareRoot()
        if length > 0 {
            let c = dx / length, s = dy / length, r = capsule.radius
            let rect = RotatedRect(
                origin: Point(x: capsule.start.x + s * r, y: capsule.start.y - c * r), width: length, height: 2 * r)
            band = RectTest(rect: rect, cos: c, sin: s, tolerance: tolerance)
        } else {
            band = nil
        }
    }

    func rowInterval(_ y: Double) -> (Double, Double) {
        var (lo, hi) = startDisc.rowInterval(y, tolerance: tolerance)
        let (a, b) = endDisc.rowInterval(y, tolerance: tolerance)
        if a <= b { (lo, hi) = lo <= hi ? (min(lo, a), max(hi, b)) : (a, b) }
        if let band {
            let (a, b) = band.rowInterval(y)
            if a <= b { (lo, hi) = lo <= hi ? (min(lo, a), max(hi, b)) : (a, b) }
        }
        return (lo, hi)
    }

    func contains(_ x: Double, _ y: Double) -> Bool {
        capsule.contains(Point(x: x, y: y), tolerance: tolerance)
    }
}

/// Fills convex shapes row by row: the interior of each row's interval is filled
/// as one span; only the two pixels at each end are tested exactly, so results
/// match a per-pixel inside-or-on test at the cost of a scanline fill.
enum ConvexRasterizer {
    static func fill<Shape: ConvexRows, Sink: SpanSink>(
        _ shape: Shape, bounds: Box, width: Int, height: Int, into sink: inout Sink
    ) {
        guard !bounds.isEmpty, width > 0, height > 0 else { return }
        let firstRow = max(0, Int(clamping: bounds.minY - 1.5, limit: height))
        let lastRow = min(height - 1, Int(clamping: bounds.maxY + 0.5, limit: height))
        guard firstRow <= lastRow else { return }
        let w = Double(width)
        for row in firstRow...lastRow {
            let y = Double(row) + 0.5
            let (a, b) = shape.rowInterval(y)
            let lo = max(a, -4), hi = min(b, w + 4)
            guard hi >= lo - 1 else { continue }  // also false for NaN
            let c0 = Int((lo - 0.5).rounded(.up)), c1 = Int((hi - 0.5).rounded(.down))
            if c1 - c0 <= 2 {
                testColumns(shape, row: row, y: y, from: c0 - 1, through: c1 + 1, width: width, into: &sink)
            } else {
                testColumns(shape, row: row, y: y, from: c0 - 1, through: c0, width: width, into: &sink)
                let start = max(0, c0 + 1), end = min(width, c1)
                if start < end { sink.span(row: row, columns: start..<end) }
                testColumns(shape, row: row, y: y, from: c1, through: c1 + 1, width: width, into: &sink)
            }
        }
    }

    @inline(__always)
    static func testColumns<Shape: ConvexRows, Sink: SpanSink>(
        _ shape: Shape, row: Int, y: Double, from first: Int, through last: Int, width: Int, into sink: inout Sink
    ) {
        var c = max(first, 0)
        let end = min(last, width - 1)
        while c <= end {
            if shape.contains(Double(c) + 0.5, y) { sink.span(row: row, columns: c..<(c + 1)) }
            c += 1
        }
    }
}

extension Int {
    /// `floor(value)` clamped to `-1...limit` (NaN gives -1), for row and column bounds.
    init(clamping value: Double, limit: Int) {
        if !(value > -1) {
            self = -1
        } else if value >= Double(limit) {
            self = limit
        } else {
            self = Int(value.rounded(.down))
        }
    }
}
