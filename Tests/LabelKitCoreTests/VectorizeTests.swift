import LabelKitCore
import Testing

@Suite("Mask vectorisation")
struct VectorizeTests {
    /// Random masks of three textures: speckle, blobs (unions of discs), and
    /// checkerboard-like diagonal contacts, which exercise the 8-connectivity rule.
    static func randomMask(seed: UInt64, width: Int, height: Int, texture: Int) -> Mask {
        var rng = SplitMix64(seed: seed)
        var mask = Mask(width: width, height: height)
        switch texture {
        case 0:
            for i in 0..<mask.bytes.count where Double.random(in: 0..<1, using: &rng) < 0.45 { mask.bytes[i] = 255 }
        case 1:
            for _ in 0..<8 {
                let disc = Disc(
                    center: Point(x: .random(in: 0..<Double(width), using: &rng), y: .random(in: 0..<Double(height), using: &rng)),
                    radius: .random(in: 2..<12, using: &rng))
                mask.fill(.keypoint(disc), value: Bool.random(using: &rng) ? 255 : 0)
            }
        default:
            for y in 0..<height {
                for x in 0..<width where (x + y) % 2 == 0 && Int.random(in: 0..<4, using: &rng) > 0 { mask[x, y] = 7 }
            }
        }
        return mask
    }

    @Test("rasterizing the unsimplified contours gives back the mask", arguments: 0..<60)
    func roundTrip(seed: Int) {
        let texture = seed % 3
        let mask = Self.randomMask(seed: UInt64(seed) &+ 11, width: 23 + seed % 17, height: 19 + seed % 13, texture: texture)
        let expected = mask.bytes.map { $0 != 0 }
        for rule in FillRule.allCases {
            var back = Mask(width: mask.width, height: mask.height)
            for contour in mask.contours() { back.fill(.polygon(contour.polygon), rule: rule) }
            #expect(back.bytes.map { $0 != 0 } == expected, "seed \(seed), texture \(texture), rule \(rule)")
        }
    }

    @Test("a square with a hole gives one outer ring and one hole")
    func squareWithHole() {
        var mask = Mask(width: 8, height: 8)
        for y in 1..<7 { for x in 1..<7 { mask[x, y] = 255 } }
        mask[3, 3] = 0
        mask[4, 3] = 0
        let contours = mask.contours()
        #expect(contours.count == 1)
        #expect(contours[0].outer == [Point(x: 1, y: 1), Point(x: 7, y: 1), Point(x: 7, y: 7), Point(x: 1, y: 7)])
        #expect(contours[0].holes.count == 1)
        #expect(Set(contours[0].holes[0]) == Set([Point(x: 3, y: 3), Point(x: 5, y: 3), Point(x: 5, y: 4), Point(x: 3, y: 4)]))
        #expect(contours[0].polygon.area == 34)
    }

    @Test("pixels touching at a corner form one component")
    func diagonalContact() {
        var mask = Mask(width: 4, height: 4)
        mask[1, 1] = 1
        mask[2, 2] = 1
        let contours = mask.contours()
        #expect(contours.count == 1)
        #expect(contours[0].outer.count == 8)
    }

    @Test("simplification keeps rings within the tolerance and at least 3 vertices")
    func simplification() {
        var mask = Mask(width: 200, height: 200)
        mask.fill(.ellipse(Ellipse(center: Point(x: 100, y: 100), radiusX: 80, radiusY: 50, rotation: 20)))
        let exact = mask.contours()[0]
        let simple = exact.simplified(tolerance: 1.5)
        #expect(simple.outer.count >= 3)
        #expect(simple.outer.count < exact.outer.count / 4)
        // Every original vertex is within the tolerance of the simplified outline.
        for p in exact.outer {
            var best = Double.infinity
            for k in simple.outer.indices {
                let a = simple.outer[k], b = simple.outer[(k + 1) % simple.outer.count]
                let ex = b.x - a.x, ey = b.y - a.y
                let t = max(0, min(1, ((p.x - a.x) * ex + (p.y - a.y) * ey) / (ex * ex + ey * ey)))
                let dx = p.x - (a.x + t * ex), dy = p.y - (a.y + t * ey)
                best = min(best, (dx * dx + dy * dy).squareRoot())
            }
            #expect(best <= 1.5 + 1e-9)
        }
    }

    @Test("percent coordinates divide by the image size")
    func percentCoordinates() {
        let contour = MaskContour(outer: [Point(x: 0, y: 0), Point(x: 50, y: 0), Point(x: 50, y: 20)])
        #expect(contour.percent(width: 200, height: 40).outer == [Point(x: 0, y: 0), Point(x: 25, y: 0), Point(x: 25, y: 50)])
    }
}
