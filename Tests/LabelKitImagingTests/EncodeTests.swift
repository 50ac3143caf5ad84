import LabelKitCore
import LabelKitImaging
import Testing

@Suite("Encoding round trips")
struct EncodeTests {
    private func noise(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for i in 0..<pixels.count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    @Test("PNG round trips are lossless at every level", arguments: [1, 2, 3, 4])
    func png(channels: Int) throws {
        let image = noise(width: 31, height: 17, channels: channels, seed: UInt64(channels))
        for level in [0, 1, 6, 9] {
            let data = try PNGCodec.encode(image, compressionLevel: level)
            #expect(try ImageHeader(data).channels == channels)
            #expect(try PNGCodec.decode(data) == image)
        }
        #expect(try PNGCodec.decode(PNGCodec.encode(image)) == image)
    }

    @Test("higher PNG levels are not larger on smooth content")
    func pngLevels() throws {
        var image = Image(width: 256, height: 64, channels: 1, pixels: [UInt8](repeating: 0, count: 256 * 64))
        for y in 0..<64 { for x in 0..<256 { image.pixels[y * 256 + x] = UInt8((x + y) & 255) } }
        let stored = try PNGCodec.encode(image, compressionLevel: 0).count
        let best = try PNGCodec.encode(image, compressionLevel: 9).count
        #expect(best < stored / 4)
    }

    @Test("palette PNG of a label map decodes to its colours")
    func palette() throws {
        let labels = try Mask(width: 5, height: 3, bytes: [0, 1, 2, 1, 0, 2, 2, 0, 1, 1, 0, 0, 0, 2, 2])
        let palette = [
            PaletteColor(red: 0, green: 0, blue: 0, alpha: 0), PaletteColor(red: 255, green: 0, blue: 0),
            PaletteColor(red: 0, green: 128, blue: 255),
        ]
        let data = try PNGCodec.encode(labels, palette: palette, compressionLevel: 9)
        let decoded = try PNGCodec.decode(data)
        #expect(decoded.channels == 4)
        var expected: [UInt8] = []
        for label in labels.bytes {
            let c = palette[Int(label)]
            expected += [c.red, c.green, c.blue, c.alpha]
        }
        #expect(decoded.pixels == expected)
        let opaque = try PNGCodec.decode(PNGCodec.encode(labels, palette: Array(palette.dropFirst()) + [palette[1]]))
        #expect(opaque.channels == 3)
        #expect(throws: ImagingError.self) { try PNGCodec.encode(labels, palette: Array(palette.prefix(2))) }
    }

    @Test("JPEG round trips stay close to the source", arguments: [1, 3])
    func jpeg(channels: Int) throws {
        // Smooth content: quality 95 keeps it within a few levels.
        var image = Image(width: 48, height: 40, channels: channels, pixels: [UInt8](repeating: 0, count: 48 * 40 * channels))
        for y in 0..<40 {
            for x in 0..<48 {
                for c in 0..<channels { image.pixels[(y * 48 + x) * channels + c] = UInt8(40 + 2 * x + y + 20 * c) }
            }
        }
        let data = try JPEGCodec.encode(image, quality: 95)
        let header = try ImageHeader(data)
        #expect(header.format == .jpeg && header.width == 48 && header.height == 40 && header.channels == channels)
        let decoded = try JPEGCodec.decode(data)
        #expect(PixelMath.psnr(decoded, image) > 40)
        let small = try JPEGCodec.encode(image, quality: 10)
        #expect(small.count < data.count)
        #expect(PixelMath.psnr(try JPEGCodec.decode(small), image) < PixelMath.psnr(decoded, image))
    }

    @Test("JPEG output composites alpha over white")
    func jpegAlpha() throws {
        let image = Image(width: 8, height: 8, channels: 4, pixels: [UInt8](repeating: 0, count: 256))  // transparent black
        let decoded = try JPEGCodec.decode(ImageCodec.encode(image, as: .jpeg, quality: 90))
        #expect(decoded.channels == 3)
        #expect(decoded.pixels.allSatisfy { $0 >= 254 })
        let half = Image(width: 1, height: 1, channels: 2, pixels: [0, 128]).removingAlpha(background: 255)
        #expect(half.pixels == [127])  // 0 * 128/255 + 255 * 127/255 = 127
    }
}
