/// The smallest-area rectangle, at any angle, that holds a set of points: the
/// oriented box YOLO-OBB wants for polygons and masks.
///
/// One side of the optimal rectangle lies along an edge of the points' convex
/// hull (Freeman and Shapira), so each hull edge is tried: the hull is projected
/// onto the edge's direction and its normal, and the smallest product wins.
///
///     let box = MinimumAreaRectangle(points: [Point(x: 0, y: 0), Point(x: 4, y: 4), Point(x: 5, y: 3), Point(x: 1, y: -1)])
///     box.corners  // the 4 corners, clockwise on screen
public struct MinimumAreaRectangle: Hashable, Sendable {
    /// The corners, clockwise on screen (y down), starting at the one with the
    /// smallest `y` (then smallest `x`); empty for no points.
    public var corners: [Point]
    /// The rectangle's area (0 for fewer than 3 points not on a line).
    public var area: Double

    /// The rectangle of `points` (any order, duplicates allowed).
    ///
    /// - Complexity: O(n log n + h^2) for n points with h on the hull.
    public init(points: [Point]) {
        let hull = Self.convexHull(points.filter { $0.x.isFinite && $0.y.isFinite })
        guard let first = hull.first else {
            corners = []
            area = 0
            return
        }
        guard hull.count > 1 else {
            corners = [first, first, first, first]
            area = 0
            return
        }
        var best: (area: Double, corners: [Point]) = (.infinity, [])
        for i in 0..<hull.count {
            let a = hull[i], b = hull[(i + 1) % hull.count]
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            guard length > 0 else { continue }
            let ux = (b.x - a.x) / length, uy = (b.y - a.y) / length  // along the edge
            var minU = Double.infinity, maxU = -Double.infinity, minV = Double.infinity, maxV = -Double.infinity
            for p in hull {
                let u = (p.x - a.x) * ux + (p.y - a.y) * uy, v = -(p.x - a.x) * uy + (p.y - a.y) * ux
                minU = min(minU, u)
                maxU = max(maxU, u)
                minV = min(minV, v)
                maxV = max(maxV, v)
            }
            let candidate = (maxU - minU) * (maxV - minV)
            if candidate < best.area {
                func point(_ u: Double, _ v: Double) -> Point { Point(x: a.x + u * ux - v * uy, y: a.y + u * uy + v * ux) }
                best = (candidate, [point(minU, minV), point(maxU, minV), point(maxU, maxV), point(minU, maxV)])
            }
        }
        area = best.area
        corners = Self.clockwiseFromTop(best.corners)
    }

    /// The convex hull, counter-clockwise in (x, y) (Andrew's monotone chain);
    /// collinear points left out.
    static func convexHull(_ points: [Point]) -> [Point] {
        let sorted = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard sorted.count > 2 else {
            return sorted.first == sorted.last ? Array(sorted.prefix(1)) : sorted
        }
        func cross(_ o: Point, _ a: Point, _ b: Point) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
        var lower: [Point] = [], upper: [Point] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }

    /// Four corners in screen-clockwise order starting at the top-most (then left-most).
    static func clockwiseFromTop(_ corners: [Point]) -> [Point] {
        guard corners.count == 4 else { return corners }
        // Screen-clockwise (y down) is a positive shoelace sum.
        let ordered = Polygon.signedArea(of: corners) >= 0 ? corners : corners.reversed()
        let start = ordered.indices.min { ordered[$0].y != ordered[$1].y ? ordered[$0].y < ordered[$1].y : ordered[$0].x < ordered[$1].x }!
        return (0..<4).map { ordered[(start + $0) % 4] }
    }
}
