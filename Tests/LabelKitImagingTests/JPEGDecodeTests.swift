import LabelKitImaging
import Testing

@Suite("JPEG decoding")
struct JPEGDecodeTests {
    /// Pillow's libjpeg-turbo (with `draft`) and the system one decode the same
    /// scans; both use the islow IDCT and fancy upsampling, so they agree to the byte.
    @Test("DCT shrink-on-load matches libjpeg's scaled decode", arguments: [1, 2, 4, 8])
    func scaled(denominator: Int) throws {
        let entry = try #require(try ImagingFixtures.manifest("jpeg").first { $0.string("name") == "photo_203x151.jpg" })
        let scales = try #require(entry["scales"] as? [[String: Any]])
        let scale = try #require(scales.first { $0.int("denominator") == denominator })
        let expected = try ImagingFixtures.raw(
            scale.string("raw"), width: scale.int("width"), height: scale.int("height"), channels: 3)
        let decoded = try JPEGCodec.decode(
            ImagingFixtures.bytes("jpeg/photo_203x151.jpg"), scaleDenominator: denominator)
        #expect(decoded.width == (203 + denominator - 1) / denominator)
        #expect(decoded.height == (151 + denominator - 1) / denominator)
        #expect(PixelMath.maxDifference(decoded, expected) == 0)
    }

    @Test("grayscale JPEG decodes to one channel")
    func gray() throws {
        let decoded = try JPEGCodec.decode(ImagingFixtures.bytes("jpeg/gray.jpg"))
        let expected = try ImagingFixtures.raw("jpeg/gray.raw", width: 64, height: 48, channels: 1)
        #expect(decoded.channels == 1)
        #expect(PixelMath.maxDifference(decoded, expected) == 0)
    }

    /// Pillow's CMYK -> RGB rounds `(255 - C)(255 - K) / 255` its own way: +-1.
    @Test("Adobe CMYK JPEG decodes to RGB")
    func cmyk() throws {
        let decoded = try JPEGCodec.decode(ImagingFixtures.bytes("jpeg/cmyk.jpg"))
        let expected = try ImagingFixtures.raw("jpeg/cmyk.raw", width: 48, height: 32, channels: 3)
        #expect(decoded.channels == 3)
        #expect(PixelMath.maxDifference(decoded, expected) <= 1)
    }

    @Test("scale denominator: the smallest decode still at least the requested size")
    func denominatorChoice() {
        #expect(JPEGCodec.scaleDenominator(width: 6000, height: 4000, atLeastWidth: 512, atLeastHeight: 342) == 8)
        #expect(JPEGCodec.scaleDenominator(width: 6000, height: 4000, atLeastWidth: 751, atLeastHeight: 10) == 4)
        #expect(JPEGCodec.scaleDenominator(width: 1200, height: 800, atLeastWidth: 512, atLeastHeight: 342) == 2)
        #expect(JPEGCodec.scaleDenominator(width: 1200, height: 800, atLeastWidth: 1200, atLeastHeight: 800) == 1)
        #expect(JPEGCodec.scaleDenominator(width: 203, height: 151, atLeastWidth: 26, atLeastHeight: 19) == 8)
        #expect(JPEGCodec.scaleDenominator(width: 203, height: 151, atLeastWidth: 26, atLeastHeight: 20) == 4)
        #expect(JPEGCodec.scaledSize(width: 203, height: 151, denominator: 8) == (26, 19))
    }

    @Test("other denominators are refused")
    func badDenominator() throws {
        let data = try ImagingFixtures.bytes("jpeg/gray.jpg")
        #expect(throws: ImagingError(.invalidArgument, "JPEG scale denominator must be 1, 2, 4 or 8, not 3")) {
            try JPEGCodec.decode(data, scaleDenominator: 3)
        }
    }
}
