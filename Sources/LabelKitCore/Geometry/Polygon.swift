/// A polygon in pixels: an outer ring of vertices in drawing order, implicitly
/// closed (a repeated closing vertex is harmless), and optional hole rings.
///
/// Inside means within `tolerance` of an edge of any ring, or inside by the fill
/// rule over all rings together: `.evenOdd` (crossing parity) or `.nonZero`
/// (winding number; holes must then run opposite to the outer ring, as
/// ``Mask/contours()`` makes them). A ring of one or two points covers exactly the
/// pixel centres on it.
public struct Polygon: Hashable, Sendable {
    /// The outer ring.
    public var points: [Point]
    /// Hole rings (empty for Label Studio polygons).
    public var holes: [[Point]]

    /// Creates a polygon.
    public init(points: [Point], holes: [[Point]] = []) {
        self.points = points
        self.holes = holes
    }

    /// Every ring: the outer one first, then the holes.
    @inlinable
    public var rings: [[Point]] { holes.isEmpty ? [points] : [points] + holes }

    /// The bounding box of the vertices.
    public var boundingBox: Box { Box(covering: points) }

    /// The area: the outer ring's absolute shoelace area minus the holes'.
    public var area: Double {
        abs(Polygon.signedArea(of: points)) - holes.reduce(0) { $0 + abs(Polygon.signedArea(of: $1)) }
    }

    /// The outer ring's shoelace area, positive when it runs clockwise on screen.
    public var signedArea: Double { Polygon.signedArea(of: points) }

    /// The shoelace area of one ring, positive when clockwise on screen (y down).
    public static func signedArea(of ring: [Point]) -> Double {
        guard ring.count > 2 else { return 0 }
        var sum = 0.0
        var previous = ring[ring.count - 1]
        for p in ring {
            sum += previous.x * p.y - p.x * previous.y
            previous = p
        }
        return sum / 2
    }

    /// True when `point` is within `tolerance` of an edge or inside by `rule`.
    ///
    /// - Complexity: O(vertices).
    public func contains(_ point: Point, rule: FillRule = .evenOdd, tolerance: Double = Geometry.tolerance) -> Bool {
        var state = ContainmentState(point: point, tolerance: tolerance)
        if state.add(ring: points) { return true }
        for hole in holes where state.add(ring: hole) { return true }
        return rule == .evenOdd ? state.parity : state.winding != 0
    }
}

/// Crossing parity and winding number of a point, accumulated ring by ring.
struct ContainmentState {
    let px: Double, py: Double
    let tolerance2: Double
    var parity = false
    var winding = 0

    init(point: Point, tolerance: Double) {
        px = point.x
        py = point.y
        tolerance2 = tolerance * tolerance
    }

    /// Adds a ring's edges; returns true as soon as the point is within the
    /// tolerance of one of them.
    @inline(__always)
    mutating func add(ring: [Point]) -> Bool {
        ring.withUnsafeBufferPointer { add(ring: $0) }
    }

    /// Adds a ring held in contiguous memory (see ``add(ring:)``).
    ///
    /// Edges whose vertical extent (grown by the tolerance) misses the point are
    /// skipped with two comparisons: they can neither cross the point's ray nor
    /// be within the tolerance.
    @inline(__always)
    mutating func add(ring: UnsafeBufferPointer<Point>) -> Bool {
        guard let last = ring.last else { return false }
        let tol = tolerance2.squareRoot()
        var x1 = last.x, y1 = last.y
        for p in ring {
            let x2 = p.x, y2 = p.y
            defer {
                x1 = x2
                y1 = y2
            }
            guard py >= min(y1, y2) - tol && py <= max(y1, y2) + tol else { continue }
            let ex = x2 - x1, ey = y2 - y1
            if px >= min(x1, x2) - tol && px <= max(x1, x2) + tol {
                // Squared distance to the segment (a point when it has no length).
                let length2 = ex * ex + ey * ey
                var t = 0.0
                if length2 > 0 { t = min(1, max(0, ((px - x1) * ex + (py - y1) * ey) / length2)) }
                let dx = px - (x1 + t * ex), dy = py - (y1 + t * ey)
                if dx * dx + dy * dy <= tolerance2 { return true }
            }
            if (y1 > py) != (y2 > py) {
                let crossing = x1 + (py - y1) * ex / ey
                if px < crossing { parity.toggle() }
            }
            if y1 <= py {
                if y2 > py && ex * (py - y1) - (px - x1) * ey > 0 { winding += 1 }
            } else if y2 <= py && ex * (py - y1) - (px - x1) * ey < 0 {
                winding -= 1
            }
        }
        return false
    }
}

/// An open chain of points stroked with round caps and joins: the union of one
/// capsule per segment (a single point makes a disc).
public struct Polyline: Hashable, Sendable {
    /// The vertices in order.
    public var points: [Point]
    /// The full stroke width in pixels.
    public var strokeWidth: Double

    /// Creates a polyline.
    public init(points: [Point], strokeWidth: Double) {
        self.points = points
        self.strokeWidth = strokeWidth
    }

    /// The capsules whose union is the stroke.
    public var capsules: [Capsule] {
        let r = strokeWidth / 2
        guard let first = points.first else { return [] }
        if points.count == 1 { return [Capsule(from: first, to: first, radius: r)] }
        return (1..<points.count).map { Capsule(from: points[$0 - 1], to: points[$0], radius: r) }
    }

    /// The bounding box of the stroke.
    public var boundingBox: Box {
        Box(covering: points).insetBy(-strokeWidth / 2)
    }

    /// True when the point is within `strokeWidth / 2 + tolerance` of the chain.
    public func contains(_ point: Point, tolerance: Double = Geometry.tolerance) -> Bool {
        capsules.contains { $0.contains(point, tolerance: tolerance) }
    }
}
