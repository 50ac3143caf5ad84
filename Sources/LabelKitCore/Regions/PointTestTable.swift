/// The exact point tests of many regions in flat, reference-free storage, so a
/// query touches no reference counts: rectangles, ellipses and discs keep their
/// precomputed tests; polygon rings share one vertex array.
struct PointTestTable: Sendable {
    enum Kind: UInt8, Sendable {
        case rectangle, ellipse, disc, polygon, other, empty
    }

    private(set) var kinds: [Kind] = []
    /// Index into the storage of the region's kind.
    private(set) var slots: [Int] = []
    /// Bit 0: visible; bit 1: not locked.
    private(set) var flags: [UInt8] = []
    private var rectangles: [RectTest] = []
    private var ellipses: [EllipseTest] = []
    private var discs: [Disc] = []
    /// Polygon p has rings `polygonRings[p]..<polygonRings[p + 1]`; ring r has
    /// vertices `ringStarts[r]..<ringStarts[r + 1]`.
    private var polygonRings: [Int] = [0]
    private var ringStarts: [Int] = [0]
    private var vertices: [Point] = []
    private var others: [HitTest] = []
    let rule: FillRule
    let tolerance: Double

    init(regions: [Region], tests: [HitTest], rule: FillRule, tolerance: Double) {
        self.rule = rule
        self.tolerance = tolerance
        for (region, test) in zip(regions, tests) {
            flags.append((region.isHidden ? 0 : 1) | (region.isLocked ? 0 : 2))
            switch (region.shape, test) {
            case (_, .empty):
                kinds.append(.empty)
                slots.append(0)
            case (_, .rectangle(let t, _, _)):
                kinds.append(.rectangle)
                slots.append(rectangles.count)
                rectangles.append(t)
            case (_, .ellipse(let t, _)):
                kinds.append(.ellipse)
                slots.append(ellipses.count)
                ellipses.append(t)
            case (_, .disc(let d, _)):
                kinds.append(.disc)
                slots.append(discs.count)
                discs.append(d)
            case (.polygon(let p), _):
                kinds.append(.polygon)
                slots.append(polygonRings.count - 1)
                for ring in p.rings {
                    vertices += ring
                    ringStarts.append(vertices.count)
                }
                polygonRings.append(ringStarts.count - 1)
            default:
                kinds.append(.other)
                slots.append(others.count)
                others.append(test)
            }
        }
    }

    /// True when region `index` may be hit (visible, and unlocked unless locked
    /// regions are included).
    @inline(__always)
    func isSelectable(_ index: Int, includeLocked: Bool) -> Bool {
        let f = flags[index]
        return f & 1 != 0 && (includeLocked || f & 2 != 0)
    }

    /// The exact inside-or-on test of region `index` at `(x, y)`.
    @inline(__always)
    func contains(_ index: Int, _ x: Double, _ y: Double) -> Bool {
        let slot = slots[index]
        switch kinds[index] {
        case .rectangle: return rectangles[slot].contains(x, y)
        case .ellipse: return ellipses[slot].contains(x, y)
        case .disc:
            let d = discs[slot]
            let dx = x - d.center.x, dy = y - d.center.y
            return (dx * dx + dy * dy).squareRoot() <= d.radius + tolerance
        case .polygon: return polygonContains(slot, x, y)
        case .other: return others[slot].contains(x, y)
        case .empty: return false
        }
    }

    private func polygonContains(_ polygon: Int, _ px: Double, _ py: Double) -> Bool {
        var state = ContainmentState(point: Point(x: px, y: py), tolerance: tolerance)
        return vertices.withUnsafeBufferPointer { vertices in
            ringStarts.withUnsafeBufferPointer { ringStarts in
                for r in polygonRings[polygon]..<polygonRings[polygon + 1] {
                    let ring = UnsafeBufferPointer(rebasing: vertices[ringStarts[r]..<ringStarts[r + 1]])
                    if state.add(ring: ring) { return true }
                }
                return rule == .evenOdd ? state.parity : state.winding != 0
            }
        }
    }
}
