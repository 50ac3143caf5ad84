// Seeded inputs for the benchmarks: the same bytes on every machine and every run.
// SplitMix64 and the 1920x1080 masks live in the shared BenchmarkInputs target.
import BenchmarkInputs
import LabelKitCore

enum Inputs {
    static let width = TestMasks.width
    static let height = TestMasks.height

    /// The two 1920x1080 masks, by tag value.
    static func mask(_ kind: String) -> Mask {
        kind == "noisy" ? TestMasks.noisy() : TestMasks.blob()
    }

    /// `count` COCO RLEs of `width x height` masks, each one filled ellipse with
    /// semi-axes in `radii` and its centre anywhere in the image (it may be clipped).
    static func ellipseRLEs(
        count: Int, width: Int = 640, height: Int = 480, radii: ClosedRange<Double>, seed: UInt64
    ) -> [COCORLE] {
        var rng = SplitMix64(seed: seed)
        var mask = Mask(width: width, height: height)
        var result: [COCORLE] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            for i in mask.bytes.indices { mask.bytes[i] = 0 }
            TestMasks.fillEllipse(
                &mask,
                cx: Double.random(in: 0...Double(width), using: &rng),
                cy: Double.random(in: 0...Double(height), using: &rng),
                rx: Double.random(in: radii, using: &rng),
                ry: Double.random(in: radii, using: &rng))
            result.append(COCORLE(encoding: mask))
        }
        return result
    }
}
