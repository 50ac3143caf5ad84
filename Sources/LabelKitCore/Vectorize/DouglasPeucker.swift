/// Douglas-Peucker simplification of closed rings.
enum DouglasPeucker {
    /// Simplifies a closed ring: it is split at its first vertex and the vertex
    /// farthest from it, and each half is simplified; at least 3 vertices remain.
    static func simplify(ring: [Point], tolerance: Double) -> [Point] {
        guard ring.count > 3, tolerance > 0 else { return ring }
        var far = 0
        var farDistance = -1.0
        for (i, p) in ring.enumerated() {
            let dx = p.x - ring[0].x, dy = p.y - ring[0].y
            let d = dx * dx + dy * dy
            if d > farDistance {
                farDistance = d
                far = i
            }
        }
        var keep = [Bool](repeating: false, count: ring.count + 1)
        keep[0] = true
        keep[far] = true
        keep[ring.count] = true
        let closed = ring + [ring[0]]
        mark(closed, 0, far, tolerance, &keep)
        mark(closed, far, ring.count, tolerance, &keep)
        var result = (0..<ring.count).filter { keep[$0] }.map { ring[$0] }
        if result.count < 3 {
            // Keep the vertex farthest from the chord so the ring stays a polygon.
            var best = -1
            var bestDistance = -1.0
            for i in 1..<ring.count where i != far {
                let d = Segment.distance(from: ring[i], ring[0], ring[far])
                if d > bestDistance {
                    bestDistance = d
                    best = i
                }
            }
            if best >= 0 {
                keep[best] = true
                result = (0..<ring.count).filter { keep[$0] }.map { ring[$0] }
            }
        }
        return result
    }

    /// Marks the vertices to keep between `first` and `last` (iteratively).
    private static func mark(_ points: [Point], _ first: Int, _ last: Int, _ tolerance: Double, _ keep: inout [Bool]) {
        var stack = [(first, last)]
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var index = -1
            var maxDistance = tolerance
            for i in (a + 1)..<b {
                let d = Segment.distance(from: points[i], points[a], points[b])
                if d > maxDistance {
                    maxDistance = d
                    index = i
                }
            }
            if index >= 0 {
                keep[index] = true
                stack.append((a, index))
                stack.append((index, b))
            }
        }
    }
}
