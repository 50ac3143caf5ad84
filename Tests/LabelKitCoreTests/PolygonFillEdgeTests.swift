import LabelKitCore
import Testing

/// Polygon fills at the limits of the scanline's shortcuts, each checked against
/// the per-pixel `contains` loop: nearly horizontal edges whose crossing is
/// uncertain by a pixel or two, hole rings outside the outer ring, crossings next
/// to column 0, crossings changing order between rows, many vertices, coordinates
/// far outside the image.
@Suite("Polygon fill edge cases")
struct PolygonFillEdgeTests {
    /// Fills `polygon` both ways and expects every rule to match the per-pixel loop.
    func expectMatchesBruteForce(
        _ polygon: Polygon, width: Int, height: Int, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for rule in FillRule.allCases {
            var mask = Mask(width: width, height: height)
            mask.fill(.polygon(polygon), rule: rule)
            let brute = GeometryMaskDiff.bruteForce(.polygon(polygon), rule: rule, width: width, height: height)
            if let d = GeometryMaskDiff.firstDifference(mask, brute) {
                Issue.record(
                    """
                    \(label) \(rule.rawValue): \(d.count) pixel(s) differ; first (x: \(d.x), y: \(d.y)): \
                    fill gives \(d.got), contains gives \(d.expected != 0)
                    """, sourceLocation: sourceLocation)
            }
            // Each pixel is reported once.
            var counter = PixelCounter()
            Rasterizer.rasterize(.polygon(polygon), rule: rule, width: width, height: height, into: &counter)
            #expect(
                counter.count == mask.area, "\(label) \(rule.rawValue): spans overlap", sourceLocation: sourceLocation)
        }
    }

    @Test("an edge sloping 1e-7 per pixel through a row centre: the pixels beside its crossing")
    func nearlyHorizontalEdge() {
        // The first edge crosses row 5's centre line at x = 20 and is 5e-6 from it at
        // its ends: the crossing is uncertain by about a pixel, and pixel 19 is inside.
        let triangle = Polygon(points: [
            Point(x: -30, y: 5.5 - 5e-6), Point(x: 70, y: 5.5 + 5e-6), Point(x: -30, y: 20),
        ])
        expectMatchesBruteForce(triangle, width: 40, height: 12, "triangle")
        #expect(triangle.contains(Point(x: 19.5, y: 5.5)))
    }

    @Test("random nearly horizontal edges, slopes 1e-9 to 1e-5")
    func randomNearlyHorizontalEdges() {
        var g = SplitMix64(seed: 1505)
        for i in 0..<300 {
            let row = Double(Int.random(in: 2...20, using: &g)) + 0.5
            let slope = Double.random(in: 1e-9...1e-5, using: &g) * (Bool.random(using: &g) ? 1 : -1)
            let x0 = Double.random(in: -60...0, using: &g), x1 = Double.random(in: 40...100, using: &g)
            let cross = Double.random(in: 2...38, using: &g)
            let top = Point(x: x0, y: row + (x0 - cross) * slope)
            let right = Point(x: x1, y: row + (x1 - cross) * slope)
            let apex = Point(x: Double.random(in: -20...60, using: &g), y: Bool.random(using: &g) ? 30 : -10)
            expectMatchesBruteForce(Polygon(points: [top, right, apex]), width: 40, height: 24, "#\(i)")
        }
    }

    @Test("random rings of 3 to 24 vertices: two, four and more crossings per row, in and out of order")
    func randomRings() {
        var g = SplitMix64(seed: 2024)
        for i in 0..<400 {
            let count = Int.random(in: 3...24, using: &g)
            let star = Bool.random(using: &g)
            let points = (0..<count).map { k -> Point in
                if star {
                    // Simple star-shaped rings: mostly two or four crossings, in order.
                    let angle = Double(k) / Double(count) * 2 * Double.pi
                    let radius = Double.random(in: 4...22, using: &g)
                    return Point(x: 24 + radius * Double.cosine(angle), y: 20 + radius * Double.sine(angle))
                }
                // Random vertices: self-intersecting, crossings change order inside intervals.
                return Point(x: Double.random(in: -4...52, using: &g), y: Double.random(in: -4...44, using: &g))
            }
            var rings = Polygon(points: points)
            if i % 7 == 0 {
                rings.holes = [points.map { Point(x: 48 - $0.x, y: $0.y) }]
            }
            expectMatchesBruteForce(rings, width: 48, height: 40, "#\(i)")
        }
    }

    @Test("a hole ring outside the outer ring is filled by the even-odd rule")
    func holeOutsideOuterRing() {
        let outer = [Point(x: 2, y: 2), Point(x: 10, y: 2), Point(x: 10, y: 10), Point(x: 2, y: 10)]
        let away = [Point(x: 20, y: 14), Point(x: 28, y: 14), Point(x: 28, y: 22), Point(x: 20, y: 22)]
        let polygon = Polygon(points: outer, holes: [away])
        expectMatchesBruteForce(polygon, width: 32, height: 26, "outside hole")
        var mask = Mask(width: 32, height: 26)
        mask.fill(.polygon(polygon))
        #expect(mask[24, 18] == 255, "the even-odd rule fills the far ring")
    }

    @Test("crossings just left of a pixel centre near column 0 and of large columns")
    func crossingsNextToPixelCentres() {
        for offset in [1e-16, 1e-12, 1e-9, 1.1e-7, 1e-6] {
            for column in [0.0, 1.0, 700.0] {
                let x = column + 0.5 - offset
                let square = Polygon(points: [
                    Point(x: x, y: 0.25), Point(x: x + 3, y: 0.25), Point(x: x + 3, y: 3.75), Point(x: x, y: 3.75),
                ])
                expectMatchesBruteForce(square, width: 704, height: 4, "left edge at \(x)")
                let slanted = Polygon(points: [
                    Point(x: x - 0.25, y: -0.5), Point(x: x + 3, y: -0.5), Point(x: x + 3, y: 1.5),
                    Point(x: x + 0.25, y: 1.5),
                ])
                expectMatchesBruteForce(slanted, width: 704, height: 2, "slanted edge through \(x)")
            }
        }
    }

    @Test("a comb of 300 full-height teeth: 300 crossings per row")
    func combFilledInBands() {
        var g = SplitMix64(seed: 9)
        let comb = (0..<300).map { i in
            Point(x: 2 + 0.3 * Double(i) + Double.random(in: 0...0.2, using: &g), y: i % 2 == 0 ? 1.3 : 199.7)
        }
        expectMatchesBruteForce(Polygon(points: comb), width: 96, height: 202, "comb")
    }

    @Test("a 2,000-vertex ring and rings far outside the image")
    func manyVerticesAndFarCoordinates() {
        var g = SplitMix64(seed: 77)
        var star: [Point] = []
        for i in 0..<2000 {
            let angle = Double(i) / 2000 * 2 * Double.pi
            let radius = Double.random(in: 5...30, using: &g)
            star.append(Point(x: 32 + radius * Double.cosine(angle), y: 32 + radius * Double.sine(angle)))
        }
        expectMatchesBruteForce(Polygon(points: star), width: 64, height: 64, "2,000 vertices")
        let far = Polygon(points: [
            Point(x: -1e12, y: -1e12), Point(x: 1e12, y: -1e12 + 1), Point(x: 3e11, y: 1e12), Point(x: -1e15, y: 3.5),
        ])
        expectMatchesBruteForce(far, width: 50, height: 30, "far vertices")
        let huge = Polygon(points: [Point(x: -1e300, y: 1), Point(x: 1e300, y: 4), Point(x: 5, y: 1e300)])
        expectMatchesBruteForce(huge, width: 20, height: 20, "1e300")
    }
}
