import Foundation
import LabelKitImaging
import Testing

@Suite("Resampler")
struct ResamplerTests {
    private func noise(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for i in 0..<pixels.count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A plain floating-point Lanczos3 written from the definition (pixel centres,
    /// support 3 * scale, edge samples repeated), one axis at a time.
    private func referenceAxis(_ values: [Double], outSize: Int) -> [Double] {
        let n = values.count
        let scale = Double(n) / Double(outSize)
        let fs = max(scale, 1)
        func lanczos(_ x: Double) -> Double {
            if x == 0 { return 1 }
            if abs(x) >= 3 { return 0 }
            return 3 * sin(.pi * x) * sin(.pi * x / 3) / (.pi * .pi * x * x)
        }
        return (0..<outSize).map { o in
            let center = (Double(o) + 0.5) * scale
            var sum = 0.0, total = 0.0
            for i in Int((center - 3 * fs).rounded(.down))...Int((center + 3 * fs).rounded(.up)) {
                let w = lanczos((Double(i) + 0.5 - center) / fs)
                sum += w * values[min(max(i, 0), n - 1)]
                total += w
            }
            return sum / total
        }
    }

    /// Smooth content in 40...215, so no overshoot is clipped between the passes.
    private func smooth(width: Int, height: Int) -> Image {
        var pixels = [UInt8]()
        for y in 0..<height {
            for x in 0..<width {
                let v = 127.5 + 60 * sin(Double(x) * 0.45 + 1) * cos(Double(y) * 0.3) + 25 * sin(Double(x + 2 * y) * 0.9)
                pixels.append(UInt8(v.rounded()))
            }
        }
        return Image(width: width, height: height, channels: 1, pixels: pixels)
    }

    @Test("Lanczos3 matches a floating-point reference (no box stage)", arguments: [
        (40, 30, 23, 17), (40, 30, 80, 50), (64, 48, 32, 24), (10, 10, 7, 5), (30, 20, 30, 11),
    ])
    func reference(w: Int, h: Int, ow: Int, oh: Int) throws {
        let image = smooth(width: w, height: h)
        let resized = try Resampler.resize(image, width: ow, height: oh)
        // Reference: rows first, then columns, in doubles.
        var rows = [[Double]]()
        for y in 0..<h { rows.append(referenceAxis((0..<w).map { Double(image.pixels[y * w + $0]) }, outSize: ow)) }
        var worst = 0.0
        for x in 0..<ow {
            let column = referenceAxis((0..<h).map { rows[$0][x] }, outSize: oh)
            for y in 0..<oh {
                let expected = min(max(column[y], 0), 255)
                worst = max(worst, abs(expected - Double(resized.pixels[y * ow + x])))
            }
        }
        // 8-bit rounding after each pass (0.5 each, the first one carried through a kernel
        // whose absolute weights sum to about 1.2), in either pass order: at most 1.5.
        #expect(worst <= 1.5, "worst difference \(worst)")
    }

    @Test("flat images stay exactly flat at every size", arguments: [1, 2, 3, 4])
    func flat(channels: Int) throws {
        let level: [UInt8] = channels == 2 ? [200, 255] : [200, 17, 90, 255]
        let pixels = (0..<(97 * 61)).flatMap { _ in level.prefix(channels) }
        let image = Image(width: 97, height: 61, channels: channels, pixels: pixels)
        for (w, h) in [(5, 3), (48, 30), (97, 20), (200, 130), (1, 1), (13, 61)] {
            let resized = try Resampler.resize(image, width: w, height: h)
            #expect(resized.width == w && resized.height == h && resized.channels == channels)
            #expect(resized.pixels == (0..<(w * h)).flatMap { _ in level.prefix(channels) })
        }
    }

    /// Premultiplied 8-bit samples keep colour to within 255 / alpha / 2 levels (as Pillow's `RGBa`).
    @Test("flat translucent images keep their colour within the premultiplied precision")
    func flatTranslucent() throws {
        for alpha: UInt8 in [17, 64, 128, 254] {
            let image = Image(width: 50, height: 40, channels: 4, pixels: (0..<2000).flatMap { _ in [200, 17, 90, alpha] })
            let resized = try Resampler.resize(image, width: 9, height: 7)
            let tolerance = 255 / Int(alpha) / 2 + 1
            for i in stride(from: 0, to: resized.pixels.count, by: 4) {
                #expect(resized.pixels[i + 3] == alpha)
                #expect(abs(Int(resized.pixels[i]) - 200) <= tolerance)
                #expect(abs(Int(resized.pixels[i + 1]) - 17) <= tolerance)
            }
        }
    }

    @Test("a linear ramp halves to the values at the new pixel centres")
    func ramp() throws {
        // pixel x holds 2x; halving puts output o at source centre 2o + 1, value 4o + 1.
        let image = Image(width: 100, height: 4, channels: 1, pixels: (0..<4).flatMap { _ in (0..<100).map { UInt8(2 * $0) } })
        let resized = try Resampler.resize(image, width: 50, height: 4)
        for o in 4..<46 { #expect(resized.pixels[o] == UInt8(4 * o + 1)) }
    }

    @Test("large reductions (box shrink + Lanczos) keep the mean of noise", arguments: [3, 4])
    func bigReduction(channels: Int) throws {
        let image = noise(width: 1000, height: 700, channels: channels, seed: 3)
        let resized = try Resampler.resize(image, width: 64, height: 45)
        #expect(resized.width == 64 && resized.height == 45)
        let mean = Double(resized.pixels.reduce(0) { $0 + Int($1) }) / Double(resized.pixels.count)
        // Uniform noise averages to 127.5; 240 source pixels per output sample leave little spread.
        #expect(abs(mean - 127.5) < 3)
        #expect(resized.pixels.allSatisfy { (100...155).contains($0) })
    }

    @Test("transparent pixels do not bleed their colour (premultiplied alpha)")
    func premultiplied() throws {
        // Left half: transparent red; right half: opaque blue.
        var pixels = [UInt8]()
        for _ in 0..<20 {
            for x in 0..<40 { pixels += x < 20 ? [255, 0, 0, 0] : [0, 0, 255, 255] }
        }
        let image = Image(width: 40, height: 20, channels: 4, pixels: pixels)
        for (w, h) in [(10, 5), (17, 9), (40, 10)] {
            let resized = try Resampler.resize(image, width: w, height: h)
            for i in stride(from: 0, to: resized.pixels.count, by: 4) where resized.pixels[i + 3] > 0 {
                #expect(resized.pixels[i] == 0, "red leaked at sample \(i / 4) of \(w)x\(h)")
                #expect(resized.pixels[i + 2] >= 250)
            }
        }
    }

    @Test("box factor follows libvips: rint(shrink / 2)")
    func boxFactor() {
        #expect(Resampler.boxFactor(for: 1.5) == 1)
        #expect(Resampler.boxFactor(for: 2.93) == 1)
        #expect(Resampler.boxFactor(for: 3) == 2)  // rint(1.5) = 2 (ties to even)
        #expect(Resampler.boxFactor(for: 5) == 2)  // rint(2.5) = 2
        #expect(Resampler.boxFactor(for: 15.625) == 8)
        #expect(Resampler.boxFactor(for: 23.4375) == 12)
    }
}
