/// The exact point tests of many regions in one flat array of doubles, so a query
/// reads through a single pointer and touches no reference counts.
///
/// Layout per region (at `offsets[i]`):
///
///     rectangle: ox, oy, w, h, cos, sin, tol
///     ellipse:   cx, cy, rx, ry, cos, sin, tol
///     disc:      cx, cy, radius + tol
///     polygon:   ringCount, then per ring: vertexCount, x0, y0, x1, y1, ...
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
                var state = ContainmentState(point: Point(x: x, y: y), tolerance: table.tolerance)
                var p = d + 1
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
    }
}
