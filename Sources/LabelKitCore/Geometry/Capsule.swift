/// A segment thickened by `radius` with round ends: one piece of a brush stroke
/// or of a stroked polyline (round caps and joins are unions of capsules).
public struct Capsule: Hashable, Sendable {
    /// One end of the centre segment.
    public var start: Point
    /// The other end of the centre segment.
    public var end: Point
    /// Half the stroke width, in pixels.
    public var radius: Double

    /// Creates a capsule.
    public init(from start: Point, to end: Point, radius: Double) {
        self.start = start
        self.end = end
        self.radius = radius
    }

    /// The bounding box.
    public var boundingBox: Box {
        Box(
            minX: min(start.x, end.x) - radius, minY: min(start.y, end.y) - radius,
            maxX: max(start.x, end.x) + radius, maxY: max(start.y, end.y) + radius)
    }

    /// The area: the band plus one disc.
    public var area: Double {
        let dx = end.x - start.x, dy = end.y - start.y
        return 2 * radius * (dx * dx + dy * dy).squareRoot() + Double.pi * radius * radius
    }

    /// True when the distance to the centre segment is at most `radius + tolerance`.
    public func contains(_ point: Point, tolerance: Double = Geometry.tolerance) -> Bool {
        Segment.distance(from: point, start, end) <= radius + tolerance
    }
}

/// Distances to segments.
enum Segment {
    /// Euclidean distance from `p` to the segment `a`-`b` (a point when `a == b`).
    @inline(__always)
    static func distance(from p: Point, _ a: Point, _ b: Point) -> Double {
        let ex = b.x - a.x, ey = b.y - a.y
        let length2 = ex * ex + ey * ey
        var t = 0.0
        if length2 > 0 {
            t = ((p.x - a.x) * ex + (p.y - a.y) * ey) / length2
            t = min(1, max(0, t))
        }
        let dx = p.x - (a.x + t * ex), dy = p.y - (a.y + t * ey)
        return (dx * dx + dy * dy).squareRoot()
    }
}
