/// An ellipse rotated about its centre, as Label Studio stores it: `center`,
/// semi-axes `radiusX` and `radiusY` in pixels, `rotation` in degrees clockwise on
/// screen.
public struct Ellipse: Hashable, Sendable {
    /// The centre (Label Studio's `x`, `y`).
    public var center: Point
    /// Semi-axis along the rotated x axis, in pixels.
    public var radiusX: Double
    /// Semi-axis along the rotated y axis, in pixels.
    public var radiusY: Double
    /// Degrees, clockwise on screen; any real value.
    public var rotation: Double

    /// Creates an ellipse.
    public init(center: Point, radiusX: Double, radiusY: Double, rotation: Double = 0) {
        self.center = center
        self.radiusX = radiusX
        self.radiusY = radiusY
        self.rotation = rotation
    }

    /// Cosine and sine of the rotation.
    var cosSin: (Double, Double) { Geometry.cosSin(degrees: rotation) }

    /// The tight axis-aligned bounding box, half-sizes
    /// `sqrt((rx c)^2 + (ry s)^2)` and `sqrt((rx s)^2 + (ry c)^2)`.
    public var boundingBox: Box {
        let (c, s) = cosSin
        let hx = ((radiusX * c) * (radiusX * c) + (radiusY * s) * (radiusY * s)).squareRoot()
        let hy = ((radiusX * s) * (radiusX * s) + (radiusY * c) * (radiusY * c)).squareRoot()
        return Box(minX: center.x - hx, minY: center.y - hy, maxX: center.x + hx, maxY: center.y + hy)
    }

    /// The outline sampled at `vertexCount` points evenly spaced in the
    /// ellipse's parameter angle, starting on the rotated x axis.
    public func outline(vertexCount: Int) -> [Point] {
        let (c, s) = cosSin
        return (0..<vertexCount).map { k in
            let t = 2 * Double.pi * Double(k) / Double(vertexCount)
            let u = radiusX * CMath.cos(t), v = radiusY * CMath.sin(t)
            return Point(x: center.x + u * c - v * s, y: center.y + u * s + v * c)
        }
    }

    /// The area, `pi * radiusX * radiusY`.
    public var area: Double { Double.pi * radiusX * radiusY }

    /// True when `(u/rx)^2 + (v/ry)^2 <= 1 + tolerance` for the point in the
    /// ellipse's own axes (a zero radius contains nothing).
    public func contains(_ point: Point, tolerance: Double = Geometry.tolerance) -> Bool {
        let (c, s) = cosSin
        return EllipseTest(ellipse: self, cos: c, sin: s, tolerance: tolerance).contains(point.x, point.y)
    }
}

/// The ellipse test with its trigonometry computed once.
struct EllipseTest {
    let cx: Double, cy: Double, rx: Double, ry: Double
    let c: Double, s: Double, tol: Double
    // Row quadratic: A dx^2 + B dx + C(dy) <= 0.
    let a: Double, bFactor: Double, cFactor: Double

    init(ellipse: Ellipse, cos: Double, sin: Double, tolerance: Double) {
        cx = ellipse.center.x
        cy = ellipse.center.y
        rx = ellipse.radiusX
        ry = ellipse.radiusY
        c = cos
        s = sin
        tol = tolerance
        let irx2 = 1 / (rx * rx), iry2 = 1 / (ry * ry)
        a = c * c * irx2 + s * s * iry2
        bFactor = 2 * c * s * (irx2 - iry2)
        cFactor = s * s * irx2 + c * c * iry2
    }

    @inline(__always)
    func contains(_ px: Double, _ py: Double) -> Bool {
        let dx = px - cx, dy = py - cy
        let u = dx * c + dy * s
        let v = -dx * s + dy * c
        let q = (u / rx) * (u / rx) + (v / ry) * (v / ry)
        return q <= 1 + tol
    }

    /// The x range of row `py` (approximate; ends are checked with ``contains``).
    @inline(__always)
    func rowInterval(_ py: Double) -> (Double, Double) {
        let dy = py - cy
        let b = bFactor * dy
        let cc = cFactor * dy * dy - (1 + tol)
        let disc = b * b - 4 * a * cc
        let mid = -b / (2 * a)
        if disc < 0 {
            // A tangent row can come out slightly negative: let the exact test decide.
            return disc > -1e-9 * (b * b + abs(4 * a * cc)) ? (cx + mid, cx + mid) : (.infinity, -.infinity)
        }
        let half = disc.squareRoot() / (2 * a)
        return (cx + mid - half, cx + mid + half)
    }
}
