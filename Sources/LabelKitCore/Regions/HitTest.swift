/// A region's exact point test with everything that does not depend on the point
/// computed once (trigonometry, edge lists).
enum HitTest: Sendable {
    case rectangle(RectTest, Box, [Point])
    case ellipse(EllipseTest, Box)
    case disc(Disc, Double)
    case polygon(Polygon, FillRule, Double, Box)
    case shape(Shape, FillRule, Double, Box)
    case empty

    init(_ shape: Shape, rule: FillRule, tolerance: Double) {
        switch shape {
        case .rectangle(let r):
            let (c, s) = r.cosSin
            self = .rectangle(RectTest(rect: r, cos: c, sin: s, tolerance: tolerance), r.boundingBox, r.corners)
        case .ellipse(let e):
            guard e.radiusX > 0, e.radiusY > 0 else {
                self = .empty
                return
            }
            // A pick tolerance above the default grows the radii (a pixel distance,
            // exact for circles); the default applies to the normalised value, as
            // in the reference fixtures, and widens the box by about r * tol / 2.
            let extra = max(0, tolerance - Geometry.tolerance)
            let grown = Ellipse(
                center: e.center, radiusX: e.radiusX + extra, radiusY: e.radiusY + extra, rotation: e.rotation)
            let (c, s) = grown.cosSin
            let box = grown.boundingBox
            let margin = max(grown.radiusX, grown.radiusY) * Geometry.tolerance
            self = .ellipse(
                EllipseTest(ellipse: grown, cos: c, sin: s, tolerance: Geometry.tolerance), box.insetBy(-margin))
        case .keypoint(let d):
            self = .disc(d, tolerance)
        case .polygon(let p):
            // Every ring's box: even-odd and nonzero both fill a hole ring that strays
            // outside the outer ring, as `Polygon.contains` and the rasterizer do.
            let box = p.holes.isEmpty ? p.boundingBox : Box(covering: p.points + p.holes.joined())
            self = p.points.isEmpty ? .empty : .polygon(p, rule, tolerance, box)
        default:
            let box = shape.boundingBox
            self = box.isEmpty ? .empty : .shape(shape, rule, tolerance, box)
        }
    }

    /// The box of everything the test can accept (before the tolerance).
    var bounds: Box {
        switch self {
        case .rectangle(_, let b, _), .ellipse(_, let b), .polygon(_, _, _, let b), .shape(_, _, _, let b): return b
        case .disc(let d, _): return d.boundingBox
        case .empty: return Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        }
    }

    @inline(__always)
    func contains(_ x: Double, _ y: Double) -> Bool {
        switch self {
        case .rectangle(let t, _, _): return t.contains(x, y)
        case .ellipse(let t, _): return t.contains(x, y)
        case .disc(let d, let tol): return d.contains(Point(x: x, y: y), tolerance: tol)
        case .polygon(let p, let rule, let tol, _): return p.contains(Point(x: x, y: y), rule: rule, tolerance: tol)
        case .shape(let s, let rule, let tol, _): return s.contains(Point(x: x, y: y), rule: rule, tolerance: tol)
        case .empty: return false
        }
    }

    /// True when the region's geometry meets `box` (boundary included).
    func intersects(_ box: Box) -> Bool {
        let b = bounds
        guard b.intersects(box) else { return false }
        if box.contains(b) { return true }
        switch self {
        case .rectangle, .polygon:
            let outline: [Point]
            switch self {
            case .rectangle(_, _, let corners): outline = corners
            case .polygon(let p, _, _, _): outline = p.points
            default: outline = []
            }
            return Self.outline(outline, meets: box) || boxCornerInside(box)
        case .ellipse(let t, _):
            // The nearest point of the box to the centre decides for a disc; for an
            // ellipse test the box corners, the centre, and the outline against the box.
            if box.contains(Point(x: t.cx, y: t.cy)) || boxCornerInside(box) { return true }
            let outline = (0..<128).map { k -> Point in
                let a = Double(k) * Double.pi / 64
                let u = t.rx * CMath.cos(a), v = t.ry * CMath.sin(a)
                return Point(x: t.cx + u * t.c - v * t.s, y: t.cy + u * t.s + v * t.c)
            }
            return Self.outline(outline, meets: box)
        case .disc(let d, let tol):
            let nx = min(max(d.center.x, box.minX), box.maxX), ny = min(max(d.center.y, box.minY), box.maxY)
            return d.contains(Point(x: nx, y: ny), tolerance: tol)
        case .shape:
            return boxCornerInside(box) || sampled(box)
        case .empty:
            return false
        }
    }

    private func boxCornerInside(_ box: Box) -> Bool {
        contains(box.minX, box.minY) || contains(box.maxX, box.minY) || contains(box.minX, box.maxY)
            || contains(box.maxX, box.maxY)
    }

    /// Pixel-centre sampling of the box, for masks and strokes.
    private func sampled(_ box: Box) -> Bool {
        let x0 = Int((box.minX - 0.5).rounded(.up)), x1 = Int((box.maxX - 0.5).rounded(.down))
        let y0 = Int((box.minY - 0.5).rounded(.up)), y1 = Int((box.maxY - 0.5).rounded(.down))
        guard x0 <= x1, y0 <= y1, (x1 - x0 + 1) * (y1 - y0 + 1) <= 1 << 22 else { return false }
        for y in y0...y1 {
            for x in x0...x1 where contains(Double(x) + 0.5, Double(y) + 0.5) { return true }
        }
        return false
    }

    /// True when a closed outline has a vertex inside the box or an edge crossing it.
    static func outline(_ points: [Point], meets box: Box) -> Bool {
        guard let last = points.last else { return false }
        var previous = last
        for p in points {
            if box.contains(p) || segment(previous, p, meets: box) { return true }
            previous = p
        }
        return false
    }

    /// Liang-Barsky clipping of a segment against a box.
    static func segment(_ a: Point, _ b: Point, meets box: Box) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                if t0 > t1 { return false }
            }
        }
        return true
    }
}
