/// A rectangle rotated about its top-left corner, as Label Studio stores it:
/// corner `origin`, `width` along the rotated x axis, `height` along the rotated y
/// axis, `rotation` in degrees clockwise on screen (y down).
///
///     let r = RotatedRect(origin: Point(x: 10, y: 20), width: 30, height: 40, rotation: 30)
///     r.corners   // TL, TR, BR, BL
public struct RotatedRect: Hashable, Sendable {
    /// The top-left corner before rotation, which is also the pivot.
    public var origin: Point
    /// Size along the rotated x axis, in pixels.
    public var width: Double
    /// Size along the rotated y axis, in pixels.
    public var height: Double
    /// Degrees, clockwise on screen; any real value.
    public var rotation: Double

    /// Creates a rectangle.
    public init(origin: Point, width: Double, height: Double, rotation: Double = 0) {
        self.origin = origin
        self.width = width
        self.height = height
        self.rotation = rotation
    }

    /// Cosine and sine of the rotation.
    var cosSin: (Double, Double) { Geometry.cosSin(degrees: rotation) }

    /// The corners TL, TR, BR, BL in pixels.
    public var corners: [Point] {
        let (c, s) = cosSin
        let (x, y, w, h) = (origin.x, origin.y, width, height)
        return [
            Point(x: x, y: y),
            Point(x: x + w * c, y: y + w * s),
            Point(x: x + w * c - h * s, y: y + w * s + h * c),
            Point(x: x - h * s, y: y + h * c),
        ]
    }

    /// The exact axis-aligned bounding box of the four corners.
    public var boundingBox: Box { Box(covering: corners) }

    /// The area, `width * height`.
    public var area: Double { width * height }

    /// True when `point` is inside or within `tolerance` of the boundary, measured
    /// in the rectangle's own axes: `-tol <= u <= width + tol`, `-tol <= v <= height + tol`.
    public func contains(_ point: Point, tolerance: Double = Geometry.tolerance) -> Bool {
        let (c, s) = cosSin
        return RectTest(rect: self, cos: c, sin: s, tolerance: tolerance).contains(point.x, point.y)
    }
}

/// The rectangle test with its trigonometry computed once.
struct RectTest {
    let ox: Double, oy: Double, w: Double, h: Double
    let c: Double, s: Double, tol: Double

    init(rect: RotatedRect, cos: Double, sin: Double, tolerance: Double) {
        ox = rect.origin.x
        oy = rect.origin.y
        w = rect.width
        h = rect.height
        c = cos
        s = sin
        tol = tolerance
    }

    @inline(__always)
    func contains(_ px: Double, _ py: Double) -> Bool {
        let dx = px - ox, dy = py - oy
        let u = dx * c + dy * s
        let v = -dx * s + dy * c
        return u >= -tol && u <= w + tol && v >= -tol && v <= h + tol
    }

    /// The x range of row `y` where `lo <= a*dx + b <= hi` for both axes.
    @inline(__always)
    func rowInterval(_ py: Double) -> (Double, Double) {
        let dy = py - oy
        var lo = -Double.infinity, hi = Double.infinity
        RectTest.clip(c, dy * s, -tol, w + tol, &lo, &hi)
        RectTest.clip(-s, dy * c, -tol, h + tol, &lo, &hi)
        return (ox + lo, ox + hi)
    }

    /// Narrows `[lo, hi]` to the dx where `lower <= a * dx + b <= upper`.
    @inline(__always)
    static func clip(_ a: Double, _ b: Double, _ lower: Double, _ upper: Double, _ lo: inout Double, _ hi: inout Double) {
        if a == 0 {
            if b < lower || b > upper { lo = .infinity; hi = -.infinity }
            return
        }
        let t1 = (lower - b) / a, t2 = (upper - b) / a
        lo = max(lo, min(t1, t2))
        hi = min(hi, max(t1, t2))
    }
}
