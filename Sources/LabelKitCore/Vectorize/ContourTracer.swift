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

        var dx: Int {
            switch self {
            case .east: return 1
            case .west: return -1
            default: return 0
            }
        }
        var dy: Int {
            switch self {
            case .south: return 1
            case .north: return -1
            default: return 0
            }
        }
        var left: Direction { Direction(rawValue: (rawValue + 3) & 3)! }
        var right: Direction { Direction(rawValue: (rawValue + 1) & 3)! }
    }

    func trace() -> [MaskContour] {
        guard w > 0, h > 0 else { return [] }
        return mask.bytes.withUnsafeBufferPointer { pixels in
            let base = pixels.baseAddress!
            let runs = RowRuns(mask: mask)
            let labels = ComponentLabels(runs: runs, height: h)
            // East-going edges visited, one bit per start vertex (x, y), x < w, y < h.
            var visited = [UInt64](repeating: 0, count: (w * h + 63) / 64)
            var outers: [Int: [Point]] = [:]
            var holes: [Int: [[Point]]] = [:]
            var order: [Int] = []
            @inline(__always) func fg(_ x: Int, _ y: Int) -> Bool {
                x >= 0 && y >= 0 && x < w && y < h && base[y * w + x] != 0
            }
            for y in 0..<h {
                // East edges of row y: the parts of its runs with background above.
                var above = y > 0 ? runs.rowStart[y - 1] : 0
                let aboveEnd = y > 0 ? runs.rowStart[y] : 0
                for run in runs.rowStart[y]..<runs.rowStart[y + 1] {
                    var x = runs.from[run]
                    let end = runs.to[run]
                    while above < aboveEnd && runs.to[above] <= x { above += 1 }
                    var k = above
                    while x < end {
                        // Skip the stretch covered by the run above, if any.
                        if k < aboveEnd && runs.from[k] <= x {
                            x = runs.to[k]
                            k += 1
                            continue
                        }
                        // x starts a stretch of east edges up to the next run above.
                        let index = y * w + x
                        if visited[index >> 6] & (1 << UInt64(index & 63)) == 0 {
                            let ring = walk(fromX: x, y: y, fg: fg, visited: &visited)
                            let component = labels.label(ofRun: run)
                            if Polygon.signedArea(of: ring) > 0 {
                                outers[component] = ring
                                order.append(component)
                            } else {
                                holes[component, default: []].append(ring)
                            }
                        }
                        x = k < aboveEnd ? min(end, runs.from[k]) : end
                    }
                }
            }
            return order.map { MaskContour(outer: outers[$0]!, holes: holes[$0] ?? []) }
        }
    }

    /// Walks one ring from the east edge at (x, y), marking east edges visited,
    /// keeping only the corners where the direction changes.
    @inline(__always)
    func walk(fromX startX: Int, y startY: Int, fg: (Int, Int) -> Bool, visited: inout [UInt64]) -> [Point] {
        var ring: [Point] = []
        var x = startX, y = startY
        var direction = Direction.east
        repeat {
            if direction == .east {
                let index = y * w + x
                visited[index >> 6] |= 1 << UInt64(index & 63)
            }
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
