import LabelKitCore
import Testing

/// The index's polygon test against `Polygon.contains` (the edge-by-edge
/// reference) where the two could part: points on and just off edges at the
/// tolerance, vertices, rows through vertices, far-away coordinates, holes and
/// empty rings, and NaN.
@Suite("Hit-test polygons near their edges")
struct HitTestPolygonEdgeTests {
    /// Random rings (self-intersecting ones included), about a third with a hole,
    /// some vertices on whole or half pixels so edges run level and share rows.
    static func polygons(_ random: inout GeometryRandom, count: Int, scale: Double, offset: Double) -> [Polygon] {
        func ring(_ random: inout GeometryRandom, radius: Double) -> [Point] {
            let cx = random.double(0...200), cy = random.double(0...200)
            return (0..<random.int(3...14)).map { _ in
                var x = cx + random.double(-radius...radius), y = cy + random.double(-radius...radius)
                if random.chance(0.4) {
                    x = (x * 2).rounded() / 2
                    y = (y * 2).rounded() / 2
                }
                return Point(x: x * scale + offset, y: y * scale + offset)
            }
        }
        return (0..<count).map { _ in
            var holes: [[Point]] = []
            if random.chance(0.3) { holes.append(ring(&random, radius: 10)) }
            if random.chance(0.05) { holes.append([]) }
            return Polygon(points: ring(&random, radius: 40), holes: holes)
        }
    }

    /// Points that test the boundary rule: vertices, points on edges, points off
    /// an edge by a multiple of the tolerance along its normal, points level with
    /// a vertex, and uniform ones.
    static func queries(
        _ random: inout GeometryRandom, _ polygons: [Polygon], tolerance: Double, count: Int
    ) -> [Point] {
        var points: [Point] = []
        while points.count < count {
            let polygon = random.pick(polygons)
            let rings = [polygon.points] + polygon.holes.filter { !$0.isEmpty }
            let ring = random.pick(rings)
            let k = random.int(0...(ring.count - 1))
            let a = ring[k], b = ring[(k + 1) % ring.count]
            switch random.int(0...4) {
            case 0:
                points.append(a)
            case 1:
                let t = random.pick([0.5, 0.25, random.double(0...1)])
                points.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
            case 2:
                let dx = b.x - a.x, dy = b.y - a.y
                let length = (dx * dx + dy * dy).squareRoot()
                guard length > 0 else { continue }
                let d = tolerance * random.pick([0.5, 0.999, 1.001, 2, 1e3]) * random.pick([-1.0, 1.0])
                let t = random.double(0...1)
                points.append(Point(x: a.x + t * dx - d * dy / length, y: a.y + t * dy + d * dx / length))
            case 3:
                points.append(Point(x: a.x + random.double(-50...50), y: a.y))
            default:
                points.append(Point(x: a.x + random.double(-60...60), y: a.y + random.double(-60...60)))
            }
        }
        return points
    }

    @Test(
        "regions(at:) equals Polygon.contains for every tolerance, rule and coordinate scale",
        arguments: [1e-9, 0.25, 3.0], [(1.0, 0.0), (1.0, 1e7), (1e4, -1e9), (1e-3, 0.5)])
    func nearEdges(tolerance: Double, placement: (scale: Double, offset: Double)) {
        var random = GeometryRandom(seed: 0x51ED_2701 &+ UInt64(tolerance * 1000))
        let polygons = Self.polygons(&random, count: 60, scale: placement.scale, offset: placement.offset)
        let regions = polygons.enumerated().map { Region(id: "p\($0.offset)", shape: .polygon($0.element)) }
        let points = Self.queries(&random, polygons, tolerance: tolerance * placement.scale, count: 3000)
        for rule in FillRule.allCases {
            let index = RegionIndex(regions: regions, rule: rule, tolerance: tolerance)
            var failures = 0
            for p in points {
                let expected = polygons.indices.reversed()
                    .filter { polygons[$0].contains(p, rule: rule, tolerance: index.tolerance) }
                    .map { "p\($0)" }
                let got = index.regions(at: p)
                guard got != expected else { continue }
                failures += 1
                if failures <= 3 {
                    Issue.record(
                        "\(rule.rawValue) tolerance \(tolerance) at (\(p.x), \(p.y)): \(got), expected \(expected)")
                }
            }
            #expect(failures == 0)
        }
    }

    /// NaN makes `Polygon.contains` answer arbitrarily (its comparisons are all
    /// false); the index asks it only inside the box of the finite vertices.
    @Test("polygons with a NaN coordinate answer as Polygon.contains does inside their finite vertices' box")
    func notANumber() {
        let polygons = [
            Polygon(points: [Point(x: 0, y: 0), Point(x: 10, y: 0), Point(x: 10, y: 10), Point(x: 0, y: 10)]),
            Polygon(points: [Point(x: 0, y: 0), Point(x: 10, y: 0), Point(x: .nan, y: 5), Point(x: 0, y: 10)]),
            Polygon(points: [Point(x: 1, y: 1), Point(x: 9, y: .nan), Point(x: 9, y: 9), Point(x: 2, y: 8)]),
            Polygon(
                points: [Point(x: 0, y: 0), Point(x: 10, y: 0), Point(x: 10, y: 10)],
                holes: [[Point(x: 6, y: 2), Point(x: .nan, y: .nan), Point(x: 8, y: 4)]]),
        ]
        for rule in FillRule.allCases {
            let index = RegionIndex(
                regions: polygons.enumerated().map { Region(id: "p\($0.offset)", shape: .polygon($0.element)) },
                rule: rule)
            for y in stride(from: -1.0, through: 11, by: 0.5) {
                for x in stride(from: -1.0, through: 11, by: 0.5) {
                    let p = Point(x: x, y: y)
                    let expected = polygons.indices.reversed().filter {
                        let rings = [polygons[$0].points] + polygons[$0].holes
                        return Box(covering: rings.joined()).insetBy(-1e-6).contains(p)
                            && polygons[$0].contains(p, rule: rule)
                    }.map { "p\($0)" }
                    #expect(index.regions(at: p) == expected, "\(rule.rawValue) (\(x), \(y))")
                }
            }
        }
    }
}
