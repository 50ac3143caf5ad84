@testable import LabelKitCore
import Testing

/// cocoapi's `rleFrPoly` walk transcribed point by point from the format spec
/// (section 9.7), as an independent reference for the optimised rasterizer.
enum ReferenceFrPoly {
    static func counts(polygon: [Double], height h: Int, width w: Int) -> [UInt32] {
        var xs: [Int] = [], ys: [Int] = []
        for j in stride(from: 0, to: polygon.count, by: 2) {
            xs.append(Int(5 * polygon[j] + 0.5))
            ys.append(Int(5 * polygon[j + 1] + 0.5))
        }
        xs.append(xs[0])
        ys.append(ys[0])
        var us: [Int] = [], vs: [Int] = []
        for j in 0..<(xs.count - 1) {
            var xs0 = xs[j], xe = xs[j + 1], ys0 = ys[j], ye = ys[j + 1]
            let dx = abs(xe - xs0), dy = abs(ys0 - ye)
            let flip = (dx >= dy && xs0 > xe) || (dx < dy && ys0 > ye)
            if flip {
                swap(&xs0, &xe)
                swap(&ys0, &ye)
            }
            if dx == 0 && dy == 0 {
                us.append(xs0)
                vs.append(ys0)
                continue
            }
            let s = dx >= dy ? Double(ye - ys0) / Double(dx) : Double(xe - xs0) / Double(dy)
            let n = max(dx, dy)
            for d in 0...n {
                let t = flip ? n - d : d
                if dx >= dy {
                    us.append(t + xs0)
                    vs.append(Int(Double(ys0) + s * Double(t) + 0.5))
                } else {
                    vs.append(t + ys0)
                    us.append(Int(Double(xs0) + s * Double(t) + 0.5))
                }
            }
        }
        var a: [UInt32] = []
        for j in 1..<us.count where us[j] != us[j - 1] {
            var xd = Double(us[j] < us[j - 1] ? us[j] : us[j] - 1)
            xd = (xd + 0.5) / 5 - 0.5
            if xd.rounded(.down) != xd || xd < 0 || xd > Double(w - 1) { continue }
            var yd = Double(vs[j] < vs[j - 1] ? vs[j] : vs[j - 1])
            yd = (yd + 0.5) / 5 - 0.5
            if yd < 0 { yd = 0 } else if yd > Double(h) { yd = Double(h) }
            yd.round(.up)
            a.append(UInt32(Int(xd) * h + Int(yd)))
        }
        a.sort()  // the standard library's sort, so the reference does not rest on the rasterizer's
        return COCORLE.countsFromBoundaries(&a, total: h * w)
    }
}

@Suite("COCO polygon rasterizer against a point-by-point transcription")
struct COCOPolygonPropertyTests {
    @Test("random polygons give the reference counts", arguments: 0..<20)
    func randomPolygons(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        for _ in 0..<100 {
            let w = Int.random(in: 1...90, using: &rng), h = Int.random(in: 1...70, using: &rng)
            let n = Int.random(in: 1...12, using: &rng)
            var polygon: [Double] = []
            for _ in 0..<n {
                // Mix grid-aligned, half-pixel and arbitrary coordinates, some outside.
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    polygon += [Double(Int.random(in: -5...w + 5, using: &rng)), Double(Int.random(in: -5...h + 5, using: &rng))]
                case 1:
                    polygon += [Double(Int.random(in: -5...w + 5, using: &rng)) + 0.5, Double(Int.random(in: -5...h + 5, using: &rng)) + 0.5]
                default:
                    polygon += [Double.random(in: -10...Double(w + 10), using: &rng), Double.random(in: -10...Double(h + 10), using: &rng)]
                }
            }
            let fast = try COCORLE(polygon: polygon, height: h, width: w)
            #expect(fast.counts == ReferenceFrPoly.counts(polygon: polygon, height: h, width: w), "\(polygon) on \(w)x\(h)")
        }
    }
}
