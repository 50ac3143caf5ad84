// Seeded geometry for GeometryBenchmarks: the same shapes on every machine and run.
// SplitMix64 and the 1920x1080 blob mask come from the shared BenchmarkInputs target.
import BenchmarkInputs
import Foundation
import LabelKitCore

enum Inputs {
    static let width = TestMasks.width
    static let height = TestMasks.height

    /// `count` star-shaped polygons: centre uniform over the image (so some are
    /// clipped), a vertex count in `vertices`, that many sorted uniform angles in
    /// [0, 2pi) and a radius in `radii` per vertex. Sorted angles around the centre
    /// make each ring simple (no self-intersections) but concave.
    static func starPolygons(
        count: Int, vertices: ClosedRange<Int>, radii: ClosedRange<Double>, seed: UInt64
    ) -> [[Point]] {
        var rng = SplitMix64(seed: seed)
        var result: [[Point]] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            let cx = Double.random(in: 0...Double(width), using: &rng)
            let cy = Double.random(in: 0...Double(height), using: &rng)
            let n = Int.random(in: vertices, using: &rng)
            let angles = (0..<n).map { _ in Double.random(in: 0..<(2 * Double.pi), using: &rng) }.sorted()
            result.append(angles.map { a in
                let r = Double.random(in: radii, using: &rng)
                return Point(x: cx + r * cos(a), y: cy + r * sin(a))
            })
        }
        return result
    }

    /// The 1,000 large stars of `Mask.fill:polygons` and `COCORLE.polygon`:
    /// 20 vertices, radii 20-120 px.
    static func largeStars() -> [[Point]] {
        starPolygons(count: 1_000, vertices: 20...20, radii: 20...120, seed: 0x5354_4152_5331_3030)
    }

    /// `count` ellipses: centre uniform over the image, semi-axes in `radii`,
    /// rotation uniform in [0, 360) degrees.
    static func ellipses(count: Int, radii: ClosedRange<Double>, seed: UInt64) -> [Ellipse] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            Ellipse(
                center: Point(
                    x: Double.random(in: 0...Double(width), using: &rng),
                    y: Double.random(in: 0...Double(height), using: &rng)),
                radiusX: Double.random(in: radii, using: &rng),
                radiusY: Double.random(in: radii, using: &rng),
                rotation: Double.random(in: 0..<360, using: &rng))
        }
    }

    /// 10,000 small star polygons (8-20 vertices, radii 5-30 px) as regions
    /// `r0`, `r1`, ... in z-order.
    static func smallStarRegions() -> [Region] {
        starPolygons(count: 10_000, vertices: 8...20, radii: 5...30, seed: 0x5245_4749_4F4E_5331)
            .enumerated().map { Region(id: "r\($0.offset)", shape: .polygon(Polygon(points: $0.element))) }
    }

    /// `count` points uniform over the image.
    static func points(count: Int, seed: UInt64) -> [Point] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            Point(
                x: Double.random(in: 0..<Double(width), using: &rng),
                y: Double.random(in: 0..<Double(height), using: &rng))
        }
    }
}
