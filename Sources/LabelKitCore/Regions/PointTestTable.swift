/// The exact point tests of many regions in one flat array of doubles, so a query
/// reads through a single pointer and touches no reference counts.
///
/// Layout per region (at `offsets[i]`):
///
///     rectangle: ox, oy, w, h, cos, sin, tol
///     ellipse:   cx, cy, rx, ry, cos, sin, tol
///     disc:      cx, cy, radius + tol
///     polygon:   ringCount, largest |coordinate|, then per ring: vertexCount, x0, y0, x1, y1, ...
///     other:     index into `others` (masks, strokes, polylines)
struct PointTestTable: Sendable {
    enum Kind: UInt8, Sendable {
        case rectangle, ellipse, disc, polygon, other, empty
    }

    private(set) var kinds: [Kind] = []
    /// Bit 0: visible; bit 1: not locked.
    private(set) var flags: [UInt8] = []
    private(set) var offsets: [Int] = []
    private(set) var data: [Double] = []
    private var others: [HitTest] = []
    let evenOdd: Bool
    let tolerance: Double

    init(regions: [Region], tests: [HitTest], rule: FillRule, tolerance: Double) {
        evenOdd = rule == .evenOdd
        self.tolerance = tolerance
        kinds.reserveCapacity(regions.count)
        flags.reserveCapacity(regions.count)
        offsets.reserveCapacity(regions.count)
        for (region, test) in zip(regions, tests) {
            flags.append((region.isHidden ? 0 : 1) | (region.isLocked ? 0 : 2))
            offsets.append(data.count)
            switch (region.shape, test) {
            case (_, .empty):
                kinds.append(.empty)
            case (_, .rectangle(let t, _, _)):
                kinds.append(.rectangle)
                data += [t.ox, t.oy, t.w, t.h, t.c, t.s, t.tol]
            case (_, .ellipse(let t, _)):
                kinds.append(.ellipse)
                data += [t.cx, t.cy, t.rx, t.ry, t.c, t.s, t.tol]
            case (_, .disc(let d, let tol)):
                kinds.append(.disc)
                data += [d.center.x, d.center.y, d.radius + tol]
            case (.polygon(let p), _):
                kinds.append(.polygon)
                data.append(Double(1 + p.holes.count))
                // NaN makes it NaN: every query that comes near the polygon then takes the exact path.
                var largest = 0.0
                for ring in [p.points] + p.holes {
                    for v in ring { largest = max(largest, v.x.magnitude, v.y.magnitude) }
                    if ring.contains(where: { $0.x.isNaN || $0.y.isNaN }) { largest = .nan }
                }
                data.append(largest)
                for ring in [p.points] + p.holes {
                    data.append(Double(ring.count))
                    for v in ring { data += [v.x, v.y] }
                }
            default:
                kinds.append(.other)
                data.append(Double(others.count))
                others.append(test)
            }
        }
        // A sentinel keeps every array non-empty, so readers always get base addresses.
        kinds.append(.empty)
        flags.append(0)
        offsets.append(data.count)
        data.append(0)
    }

    /// Runs `body` with a reader over the table's storage.
    @inline(__always)
    func withReader<R>(_ body: (Reader) -> R) -> R {
        data.withUnsafeBufferPointer { data in
            offsets.withUnsafeBufferPointer { offsets in
                kinds.withUnsafeBufferPointer { kinds in
                    flags.withUnsafeBufferPointer { flags in
                        body(
                            Reader(
                                data: data.baseAddress!, offsets: offsets.baseAddress!, kinds: kinds.baseAddress!,
                                flags: flags.baseAddress!, table: self))
                    }
                }
            }
        }
    }

    /// Pointer access to the table for one query.
    struct Reader {
        let data: UnsafePointer<Double>
        let offsets: UnsafePointer<Int>
        let kinds: UnsafePointer<Kind>
        let flags: UnsafePointer<UInt8>
        let table: PointTestTable

        @inline(__always)
        func isSelectable(_ index: Int, includeLocked: Bool) -> Bool {
            let f = flags[index]
            return f & 1 != 0 && (includeLocked || f & 2 != 0)
        }

        @inline(__always)
        func contains(_ index: Int, _ x: Double, _ y: Double) -> Bool {
            let d = data + offsets[index]
            switch kinds[index] {
            case .rectangle:
                let dx = x - d[0], dy = y - d[1]
                let u = dx * d[4] + dy * d[5]
                let v = -dx * d[5] + dy * d[4]
                let tol = d[6]
                return u >= -tol && u <= d[2] + tol && v >= -tol && v <= d[3] + tol
            case .ellipse:
                let dx = x - d[0], dy = y - d[1]
                let u = dx * d[4] + dy * d[5]
                let v = -dx * d[5] + dy * d[4]
                return (u / d[2]) * (u / d[2]) + (v / d[3]) * (v / d[3]) <= 1 + d[6]
            case .disc:
                let dx = x - d[0], dy = y - d[1]
                return (dx * dx + dy * dy).squareRoot() <= d[2]
            case .polygon:
                if let inside = clearOfEdges(polygon: d, x, y) { return inside }
                var state = ContainmentState(point: Point(x: x, y: y), tolerance: table.tolerance)
                var p = d + 2
                for _ in 0..<Int(d[0]) {
                    let count = Int(p[0])
                    // Point is two Doubles (x, y), so the pairs can be read as points.
                    let near = (p + 1).withMemoryRebound(to: Point.self, capacity: count) {
                        state.add(ring: UnsafeBufferPointer(start: $0, count: count))
                    }
                    if near { return true }
                    p += 1 + 2 * count
                }
                return table.evenOdd ? state.parity : state.winding != 0
            case .other:
                return table.others[Int(d[0])].contains(x, y)
            case .empty:
                return false
            }
        }

        /// The polygon test (`ContainmentState`) without its branches and
        /// divisions, for a point clear of every edge: nil when some edge may
        /// pass within the tolerance or rounding of the point, so only the exact
        /// test can tell.
        ///
        /// For each edge the cross product of the edge and the point decides, by
        /// its sign, which side of the edge the point lies on; that sign is the
        /// exact test's comparison with the ray's crossing and its winding step
        /// whenever the product exceeds `k` times the edge's extent, which bounds
        /// both the tolerance and every rounding error of either computation
        /// (1e-12 of the coordinates' magnitude, against errors near 1e-15).
        /// Every crossing flips the parity and steps the winding, so one count
        /// serves both rules.
        @inline(__always)
        func clearOfEdges(polygon d: UnsafePointer<Double>, _ px: Double, _ py: Double) -> Bool? {
            let tol = table.tolerance
            let k = 2 * tol + 1e-12 * (1 + px.magnitude + py.magnitude + 3 * d[1])
            var winding = 0
            var ambiguous = 0
            var p = d + 2
            for _ in 0..<Int(d[0]) {
                let count = Int(p[0])
                let v = p + 1
                p += 1 &+ 2 &* count
                guard count > 0 else { continue }
                var x1 = v[2 &* count &- 2], y1 = v[2 &* count &- 1]
                for j in 0..<count {
                    let x2 = v[2 &* j], y2 = v[2 &* j &+ 1]
                    let ex = x2 - x1, ey = y2 - y1
                    let cross = ex * (py - y1) - (px - x1) * ey
                    // 0/1 integers, combined with bitwise operators: no branch per edge.
                    let below1 = (y1 <= py).bit, below2 = (y2 <= py).bit
                    winding &+= (below1 & (below2 ^ 1) & (cross > 0).bit) &- ((below1 ^ 1) & below2 & (cross < 0).bit)
                    // Written so that NaN anywhere counts as near.
                    let nearInY = (!(py < min(y1, y2) - tol)).bit & (!(py > max(y1, y2) + tol)).bit
                    let nearLine = (!(cross.magnitude > k * (ex.magnitude + ey.magnitude))).bit
                    ambiguous |= nearInY & nearLine
                    x1 = x2
                    y1 = y2
                }
            }
            if ambiguous != 0 { return nil }
            return table.evenOdd ? winding & 1 != 0 : winding != 0
        }
    }
}
