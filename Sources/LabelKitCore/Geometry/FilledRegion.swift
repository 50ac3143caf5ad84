/// The area and bounds of what a set of rings fills by a ``FillRule``, exact up to
/// floating-point rounding, for any rings: self-intersecting, nested, repeated.
///
/// The shoelace formula gives the filled area only for a simple ring: a bow-tie's
/// two halves cancel to 0, a pentagram counts its centre twice. Here the plane is
/// cut into horizontal slabs at every vertex and every crossing of two edges;
/// inside a slab no two edges cross, so the filled width is linear in y and the
/// slab's area is its width at mid-height times its height, and its filled spans
/// are trapezoids whose corners bound the region.
///
///     let bowTie = [Point(x: 0, y: 0), Point(x: 10, y: 10), Point(x: 10, y: 0), Point(x: 0, y: 10)]
///     FilledRegion(rings: [bowTie], rule: .evenOdd).area  // 50 (the shoelace area is 0)
public struct FilledRegion: Hashable, Sendable {
    /// The filled area in square pixels.
    public var area: Double
    /// The smallest box holding the filled region; nil when nothing is filled.
    public var bounds: Box?

    /// Measures what `rings` fill by `rule` (each ring implicitly closed).
    ///
    /// - Complexity: O(e log e + slabs * a log a) for e edges and at most a edges
    ///   crossing one slab, plus O(a^2) in slabs where edges cross (a is 2 for a
    ///   convex ring, small for the outlines people draw).
    /// Points that are collinear in percent are rarely collinear after scaling to
    /// pixels: rounding leaves slivers of 1e-12 px² whose bounds are arbitrary
    /// pieces of the line. An area at or below this fraction of the square of the
    /// rings' extent is rounding, and is reported as nothing filled (a 1,000 px
    /// outline would need to be under 1e-6 px thin to count as empty).
    public static let roundingArea = 1e-12

    public init(rings: [[Point]], rule: FillRule) {
        var sweep = Sweep(rings: rings)
        sweep.run(rule: rule)
        if sweep.area <= Self.roundingArea * sweep.extentSquared {
            area = 0
            bounds = nil
        } else {
            area = sweep.area
            bounds = sweep.bounds
        }
    }
}

/// The slab sweep behind ``FilledRegion``.
private struct Sweep {
    /// A non-horizontal edge, top end first, with the direction it was drawn in.
    struct Edge {
        var x0, y0, x1, y1: Double
        var winding: Int
        @inline(__always) func x(at y: Double) -> Double { x0 + (x1 - x0) * ((y - y0) / (y1 - y0)) }
    }

    var edges: [Edge] = []
    var ys: [Double] = []
    var area = 0.0
    /// The square of the larger side of the edges' bounding box.
    var extentSquared = 0.0
    var bounds = Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
    // Buffers reused slab after slab.
    var active: [Int] = []
    var cuts: [Double] = []
    var order: [(x: Double, edge: Int)] = []

    init(rings: [[Point]]) {
        for ring in rings where ring.count > 2 {
            var previous = ring[ring.count - 1]
            for p in ring {
                guard p.x.isFinite, p.y.isFinite else { previous = p; continue }
                ys.append(p.y)
                if previous.y != p.y, previous.x.isFinite, previous.y.isFinite {
                    edges.append(
                        previous.y < p.y
                            ? Edge(x0: previous.x, y0: previous.y, x1: p.x, y1: p.y, winding: 1)
                            : Edge(x0: p.x, y0: p.y, x1: previous.x, y1: previous.y, winding: -1))
                }
                previous = p
            }
        }
        edges.sort { $0.y0 < $1.y0 }
        var minX = Double.infinity, maxX = -Double.infinity
        for e in edges {
            minX = min(minX, e.x0, e.x1)
            maxX = max(maxX, e.x0, e.x1)
        }
        let span = max(maxX - minX, (ys.max() ?? 0) - (ys.min() ?? 0))
        extentSquared = edges.isEmpty ? 0 : span * span
        ys.sort()
        var unique: [Double] = []
        unique.reserveCapacity(ys.count)
        for y in ys where unique.last != y { unique.append(y) }
        ys = unique
    }

    mutating func run(rule: FillRule) {
        var next = 0
        for i in 0..<max(0, ys.count - 1) {
            let top = ys[i], bottom = ys[i + 1]
            active.removeAll { edges[$0].y1 <= top }
            while next < edges.count, edges[next].y0 <= top {
                if edges[next].y1 > top { active.append(next) }
                next += 1
            }
            guard active.count >= 2 else { continue }
            cutAtCrossings(top: top, bottom: bottom)
            for k in 0..<(cuts.count - 1) where cuts[k + 1] > cuts[k] {
                addSlab(top: cuts[k], bottom: cuts[k + 1], rule: rule)
            }
        }
    }

    /// `cuts`: the slab's ends and every y strictly inside it where two active edges cross.
    mutating func cutAtCrossings(top: Double, bottom: Double) {
        cuts.removeAll(keepingCapacity: true)
        cuts.append(top)
        // Ordered the same way at both ends: no crossing (the common case).
        order.removeAll(keepingCapacity: true)
        for e in active { order.append((edges[e].x(at: top) + edges[e].x(at: bottom), e)) }
        order.sort { $0.x < $1.x }
        var crossed = false
        var previousTop = -Double.infinity, previousBottom = -Double.infinity
        for (_, e) in order {
            let xt = edges[e].x(at: top), xb = edges[e].x(at: bottom)
            if xt < previousTop || xb < previousBottom { crossed = true; break }
            previousTop = xt
            previousBottom = xb
        }
        if crossed {
            for a in 0..<active.count {
                let ea = edges[active[a]]
                let ta = ea.x(at: top), ba = ea.x(at: bottom)
                for b in (a + 1)..<active.count {
                    let eb = edges[active[b]]
                    let dt = ta - eb.x(at: top), db = ba - eb.x(at: bottom)
                    guard (dt < 0 && db > 0) || (dt > 0 && db < 0) else { continue }
                    let y = top + (bottom - top) * (dt / (dt - db))
                    if y > top && y < bottom { cuts.append(y) }
                }
            }
            cuts.sort()
        }
        cuts.append(bottom)
    }

    /// Adds one slab in which no two active edges cross.
    mutating func addSlab(top: Double, bottom: Double, rule: FillRule) {
        let middle = (top + bottom) / 2
        order.removeAll(keepingCapacity: true)
        for e in active { order.append((edges[e].x(at: middle), e)) }
        order.sort { $0.x < $1.x }
        var winding = 0
        var width = 0.0
        var left = 0
        for (x, e) in order {
            let wasInside = rule == .evenOdd ? winding & 1 != 0 : winding != 0
            winding += edges[e].winding
            let isInside = rule == .evenOdd ? winding & 1 != 0 : winding != 0
            if !wasInside && isInside {
                left = e
            } else if wasInside && !isInside {
                let l = edges[left], r = edges[e]
                let span = x - l.x(at: middle)
                guard span > 0 else { continue }
                width += span
                bounds.minX = min(bounds.minX, l.x(at: top), l.x(at: bottom))
                bounds.maxX = max(bounds.maxX, r.x(at: top), r.x(at: bottom))
            }
        }
        guard width > 0 else { return }
        area += width * (bottom - top)
        bounds.minY = min(bounds.minY, top)
        bounds.maxY = max(bounds.maxY, bottom)
    }
}
