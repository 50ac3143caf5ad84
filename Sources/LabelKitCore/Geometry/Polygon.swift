/// A polygon in pixels: vertices in drawing order, implicitly closed (no repeated
/// closing vertex needed; one is harmless).
///
/// Inside means within `tolerance` of an edge, or inside by the fill rule:
/// `.evenOdd` (crossing parity) or `.nonZero` (winding number). A polygon of one
/// or two points covers exactly the pixel centres on it.
public struct Polygon: Hashable, Sendable {
    /// The vertices.
    public var points: [Point]

    /// Creates a polygon.
    public init(points: [Point]) {
        self.points = points
    }

    /// The bounding box of the vertices.
    public var boundingBox: Box { Box(covering: points) }

    /// The absolute shoelace area (self-intersections counted with their signs).
    public var area: Double { abs(signedArea) }

    /// The shoelace area, positive when the vertices run clockwise on screen.
    public var signedArea: Double {
        guard points.count > 2 else { return 0 }
        var sum = 0.0
        var previous = points[points.count - 1]
        for p in points {
            sum += previous.x * p.y - p.x * previous.y
            previous = p
        }
        return sum / 2
    }

    /// True when `point` is within `tolerance` of an edge or inside by `rule`.
    ///
    /// - Complexity: O(vertices).
    public func contains(_ point: Point, rule: FillRule = .evenOdd, tolerance: Double = Geometry.tolerance) -> Bool {
        guard let last = points.last else { return false }
        var previous = last
        var parity = false
        var winding = 0
        let px = point.x, py = point.y
        for p in points {
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
