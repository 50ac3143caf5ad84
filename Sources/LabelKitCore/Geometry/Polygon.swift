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
        var parity = false
        var winding = 0
        let px = point.x, py = point.y
        for ring in rings {
            guard let last = ring.last else { continue }
            var previous = last
            for p in ring {
                if Segment.distance(from: point, previous, p) <= tolerance { return true }
                let (x1, y1, x2, y2) = (previous.x, previous.y, p.x, p.y)
                if (y1 > py) != (y2 > py) {
                    let crossing = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
                    if px < crossing { parity.toggle() }
                }
                let isLeft = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1)
                if y1 <= py {
                    if y2 > py && isLeft > 0 { winding += 1 }
                } else if y2 <= py && isLeft < 0 {
                    winding -= 1
                }
                previous = p
            }
        }
        return rule == .evenOdd ? parity : winding != 0
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
