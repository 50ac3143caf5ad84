import LabelKitCore
import LabelKitImaging
import Testing

@Suite("Mask PNG writing")
struct PNGWriterTests {
    /// Masks with every run length 1...600 in some row, shapes, speckle and odd sizes.
    static func masks() -> [Mask] {
        var out: [Mask] = []
        var ramp = Mask(width: 700, height: 40)
        for y in 0..<40 {
            var x = 0, length = 1 + y * 15, value: UInt8 = 255
            while x < 700 {
                for k in x..<min(700, x + length) { ramp[k, y] = value }
                x += length
                length += 1
                value = value == 255 ? 0 : 255
            }
        }
        out.append(ramp)
        var rng = SplitMix64(seed: 3)
        for (w, h) in [(1, 1), (1, 300), (300, 1), (257, 129), (1920, 64)] {
            var shapes = Mask(width: w, height: h)
            for _ in 0..<5 {
                let e = Ellipse(
                    center: Point(x: .random(in: 0..<Double(w), using: &rng), y: .random(in: 0..<Double(h), using: &rng)),
                    radiusX: .random(in: 1..<80, using: &rng), radiusY: .random(in: 1..<40, using: &rng))
                shapes.fill(.ellipse(e), value: UInt8.random(in: 1...255, using: &rng))
            }
            out.append(shapes)
            var speckle = Mask(width: w, height: h)
            for i in speckle.bytes.indices where Bool.random(using: &rng) { speckle.bytes[i] = 255 }
            out.append(speckle)
        }
        return out
    }

    @Test("written PNGs decode with libpng to the same bytes", arguments: 0..<11)
    func roundTrip(_ i: Int) throws {
        let mask = Self.masks()[i]
        let png = try PNGCodec.encode(mask)
        let back = try PNGCodec.decode(png)
        #expect(back.channels == 1 && back.width == mask.width && back.height == mask.height)
        #expect(back.pixels == mask.bytes)
    }
}
