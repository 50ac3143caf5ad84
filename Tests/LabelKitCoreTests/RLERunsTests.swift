import LabelKitCore
import Testing

@Suite("Brush RLE straight to row runs")
struct RLERunsTests {
    @Test("decodeRuns equals the runs of the decoded mask", arguments: 0..<24)
    func matchesDecodedMask(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 500)
        let w = Int.random(in: 1...300, using: &rng), h = Int.random(in: 1...120, using: &rng)
        var mask = Mask(width: w, height: h)
        switch seed % 3 {
        case 0:
            for _ in 0..<4 {
                let e = Ellipse(
                    center: Point(x: .random(in: 0..<Double(w), using: &rng), y: .random(in: 0..<Double(h), using: &rng)),
                    radiusX: .random(in: 1..<60, using: &rng), radiusY: .random(in: 1..<40, using: &rng))
                mask.fill(.ellipse(e), value: UInt8.random(in: 1...255, using: &rng))
            }
        case 1:
            for i in mask.bytes.indices where Int.random(in: 0..<3, using: &rng) == 0 { mask.bytes[i] = 255 }
        default:
            mask.bytes = mask.bytes.map { _ in UInt8.random(in: 0...2, using: &rng) * 100 }
        }
        let rle = try LabelStudioRLE.encode(mask)
        let runs = try LabelStudioRLE.decodeRuns(rle, width: w, height: h)
        let expected = mask.rowRuns()
        #expect(runs.values == expected.values)
        #expect(runs.lengths == expected.lengths)
        #expect(runs.rowStart == expected.rowStart)
    }

    @Test("frontend-style streams (literal blocks, custom classes) decode to the same runs", arguments: [
        "rgba_literal_blocks_37x23", "rgba_custom_size_classes_64x48", "alpha_long_runs_300x300",
    ])
    func frontendStreams(_ name: String) throws {
        let entry = try #require(LSIndex.entries().first { $0.name == name })
        let c = try LSCase.load(entry)
        let mask = try LabelStudioRLE.decodeMask(c.rle, width: c.width, height: c.height)
        let runs = try LabelStudioRLE.decodeRuns(c.rle, width: c.width, height: c.height)
        #expect(runs.values == mask.rowRuns().values && runs.lengths == mask.rowRuns().lengths)
    }
}
