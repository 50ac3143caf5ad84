extension Polygon {
    /// The part of `ring` inside `box`, as one ring (Sutherland-Hodgman against the
    /// box's four edges); empty when nothing of the ring is inside.
    ///
    /// Works for any ring, self-intersecting ones included: clipping against a
    /// half-plane replaces each excursion outside it by a path along its edge, which
    /// leaves the winding number of every point inside the half-plane unchanged, so
    /// the clipped ring fills `box ∩ (what the ring fills)` by either ``FillRule``.
    /// The result may run along the box's edges in both directions (zero-width
    /// spikes); those fill nothing.
    ///
    /// - Complexity: O(vertices).
    public static func clip(_ ring: [Point], to box: Box) -> [Point] {
        var points = ring
        if let first = points.first, points.count > 1, points[points.count - 1] == first { points.removeLast() }
        points = clip(points, axis: .x, bound: box.minX, keepAbove: true)
        points = clip(points, axis: .x, bound: box.maxX, keepAbove: false)
        points = clip(points, axis: .y, bound: box.minY, keepAbove: true)
        points = clip(points, axis: .y, bound: box.maxY, keepAbove: false)
        return points
    }

    private enum Axis { case x, y }

    /// One Sutherland-Hodgman pass: keeps the side of the line `axis = bound`.
    private static func clip(_ ring: [Point], axis: Axis, bound: Double, keepAbove: Bool) -> [Point] {
        guard var previous = ring.last else { return [] }
        func coordinate(_ p: Point) -> Double { axis == .x ? p.x : p.y }
        func inside(_ p: Point) -> Bool { keepAbove ? coordinate(p) >= bound : coordinate(p) <= bound }
        func crossing(_ a: Point, _ b: Point) -> Point {
            let t = (bound - coordinate(a)) / (coordinate(b) - coordinate(a))
            return axis == .x
                ? Point(x: bound, y: a.y + (b.y - a.y) * t)
                : Point(x: a.x + (b.x - a.x) * t, y: bound)
        }
        var out: [Point] = []
        out.reserveCapacity(ring.count + 4)
        var previousInside = inside(previous)
        for p in ring {
            let pInside = inside(p)
            if pInside != previousInside { out.append(crossing(previous, p)) }
            if pInside { out.append(p) }
            previous = p
            previousInside = pInside
        }
        return out
    }
}
