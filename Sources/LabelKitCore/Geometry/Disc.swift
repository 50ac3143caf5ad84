/// A filled circle: a Label Studio keypoint (`width` = radius in percent of the
/// image width) or a round brush dab.
public struct Disc: Hashable, Sendable {
    /// The centre.
    public var center: Point
    /// The radius in pixels.
    public var radius: Double

    /// Creates a disc.
    public init(center: Point, radius: Double) {
        self.center = center
        self.radius = radius
    }

    /// The bounding box.
    public var boundingBox: Box {
        Box(minX: center.x - radius, minY: center.y - radius, maxX: center.x + radius, maxY: center.y + radius)
    }

    /// The area, `pi * radius^2`.
    public var area: Double { Double.pi * radius * radius }

    /// True when the distance to the centre is at most `radius + tolerance`.
    public func contains(_ point: Point, tolerance: Double = Geometry.tolerance) -> Bool {
        let dx = point.x - center.x, dy = point.y - center.y
        return (dx * dx + dy * dy).squareRoot() <= radius + tolerance
    }

    /// The x range of row `py` (approximate; ends are checked with ``contains``).
    func rowInterval(_ py: Double, tolerance: Double) -> (Double, Double) {
        let dy = py - center.y
        let r = radius + tolerance
        let d = r * r - dy * dy
        if d < 0 {
            return d > -1e-9 * r * r ? (center.x, center.x) : (.infinity, -.infinity)
        }
        let half = d.squareRoot()
        return (center.x - half, center.x + half)
    }
}
