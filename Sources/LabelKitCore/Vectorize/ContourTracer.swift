/// Traces pixel-edge boundaries of a mask ("crack following").
///
/// Every boundary edge is directed so the foreground lies on its right (outer
/// rings run clockwise on screen, holes counter-clockwise). Rings are started at
/// unvisited east-going edges, found in raster order; at a vertex where two
/// foreground pixels touch only diagonally the walk turns left, which joins them
/// (8-connectivity, as OpenCV). Each ring belongs to the component of the pixel
/// below its start edge; components are labelled by run-based union-find with
/// the same connectivity.
struct ContourTracer {
    let mask: Mask
    let w: Int, h: Int

    init(mask: Mask) {
        self.mask = mask
        w = mask.width
        h = mask.height
    }

    /// Directions in y-down screen coordinates.
    enum Direction: Int {
        case east = 0, south = 1, west = 2, north = 3

        var dx: Int { [1, 0, -1, 0][rawValue] }
        var dy: Int { [0, 1, 0, -1][rawValue] }
        var left: Direction { Direction(rawValue: (rawValue + 3) & 3)! }
        var right: Direction { Direction(rawValue: (rawValue + 1) & 3)! }
    }

    func trace() -> [MaskContour] {
        guard w > 0, h > 0 else { return [] }
        return mask.bytes.withUnsafeBufferPointer { pixels in
            let labels = ComponentLabels(pixels: pixels.baseAddress!, width: w, height: h)
            // East-going edges visited, indexed by start vertex (x, y), x < w, y <= h.
            var visited = [Bool](repeating: false, count: w * (h + 1))
            var outers: [Int: [Point]] = [:]
            var holes: [Int: [[Point]]] = [:]
            var order: [Int] = []
            let base = pixels.baseAddress!
            @inline(__always) func fg(_ x: Int, _ y: Int) -> Bool {
                x >= 0 && y >= 0 && x < w && y < h && base[y * w + x] != 0
            }
            for y in 0..<h {
                for x in 0..<w where base[y * w + x] != 0 && !fg(x, y - 1) && !visited[y * w + x] {
                    // An east edge from (x, y): a ring's start.
                    let ring = walk(fromX: x, y: y, fg: fg, visited: &visited)
                    let component = labels.label(x: x, y: y)
                    if Polygon.signedArea(of: ring) > 0 {
                        outers[component] = ring
                        order.append(component)
                    } else {
                        holes[component, default: []].append(ring)
                    }
                }
                // Hole rings also start at east edges whose foreground pixel is below
                // and background above; those are exactly the ones found above.
            }
            return order.map { MaskContour(outer: outers[$0]!, holes: holes[$0] ?? []) }
        }
    }

    /// Walks one ring from the east edge at (x, y), marking east edges visited,
    /// keeping only the corners where the direction changes.
    func walk(fromX startX: Int, y startY: Int, fg: (Int, Int) -> Bool, visited: inout [Bool]) -> [Point] {
        var ring: [Point] = []
        var x = startX, y = startY
        var direction = Direction.east
        repeat {
            if direction == .east { visited[y * w + x] = true }
            x += direction.dx
            y += direction.dy
            // Choose the next edge: left turn first (8-connectivity), then straight, then right.
            let next: Direction
            if edgeExists(from: x, y, direction.left, fg) {
                next = direction.left
            } else if edgeExists(from: x, y, direction, fg) {
                next = direction
            } else {
                next = direction.right
            }
            if next != direction { ring.append(Point(x: Double(x), y: Double(y))) }
            direction = next
        } while !(x == startX && y == startY && direction == .east)
        // Rotate so the ring starts at the start vertex (the walk ends there).
        if let last = ring.last, last == Point(x: Double(startX), y: Double(startY)) {
            ring.removeLast()
            ring.insert(last, at: 0)
        }
        return ring
    }

    /// True when a boundary edge leaves vertex (x, y) in `direction` with the
    /// foreground on its right.
    @inline(__always)
    func edgeExists(from x: Int, _ y: Int, _ direction: Direction, _ fg: (Int, Int) -> Bool) -> Bool {
        switch direction {
        case .east: return fg(x, y) && !fg(x, y - 1)
        case .south: return fg(x - 1, y) && !fg(x, y)
        case .west: return fg(x - 1, y - 1) && !fg(x - 1, y)
        case .north: return fg(x, y - 1) && !fg(x - 1, y - 1)
        }
    }
}
