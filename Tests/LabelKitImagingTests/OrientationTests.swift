import LabelKitImaging
import Testing

@Suite("EXIF orientation")
struct OrientationTests {
    /// The same scan tagged 1...8, EXIF in both byte orders, against Pillow's `exif_transpose`.
    @Test("all eight orientations turn upright as Pillow's exif_transpose does", arguments: 1...8)
    func orientation(tag: Int) throws {
        let entry = try #require(try ImagingFixtures.manifest("orientation").first { $0.int("orientation") == tag })
        let expected = try ImagingFixtures.raw(
            entry.string("raw"), width: entry.int("width"), height: entry.int("height"), channels: 3)
        for file in ["orientation/o\(tag)_le.jpg", "orientation/o\(tag)_be.jpg"] {
            let data = try ImagingFixtures.bytes(file)
            #expect(try ImageHeader(data).orientation.rawValue == tag)
            let decoded = try JPEGCodec.decode(data)
            #expect(decoded.width == expected.width && decoded.height == expected.height, "\(file)")
            #expect(PixelMath.maxDifference(decoded, expected) == 0, "\(file)")
            let stored = try JPEGCodec.decode(data, applyOrientation: false)
            #expect(stored.width == 40 && stored.height == 24)
        }
    }

    @Test("a corrupt EXIF block is ignored")
    func corruptExif() throws {
        let data = try ImagingFixtures.bytes("orientation/corrupt_exif.jpg")
        #expect(try ImageHeader(data).orientation == .identity)
        let decoded = try JPEGCodec.decode(data)
        let expected = try ImagingFixtures.raw("orientation/o1_plain.raw", width: 40, height: 24, channels: 3)
        #expect(decoded == expected)
    }

    /// Mutilated EXIF segments (every truncation of the APP1 body, every byte
    /// flipped) never trap: the header either reads with some orientation or throws.
    @Test("mutated EXIF never crashes")
    func fuzzExif() throws {
        let data = try ImagingFixtures.bytes("orientation/o6_le.jpg")
        // APP1 starts at offset 2: FF E1 LL LL "Exif\0\0" TIFF...
        let length = Int(data[4]) << 8 | Int(data[5])
        for i in 6..<(4 + length) {
            var flipped = data
            flipped[i] ^= 0xFF
            _ = try? ImageHeader(flipped)
            var zeroed = data
            zeroed[i] = 0
            _ = try? ImageHeader(zeroed)
        }
        for cut in 0..<(4 + length + 4) { _ = try? ImageHeader(Array(data.prefix(cut))) }
    }

    @Test("orientation moves pixels exactly", arguments: ImageOrientation.allCases)
    func pixelMoves(orientation: ImageOrientation) {
        // 3 x 2 gray image with distinct values v = 10 * y + x.
        let image = Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 10, 11, 12])
        let expected: [UInt8]
        switch orientation {
        case .identity: expected = [0, 1, 2, 10, 11, 12]
        case .flipHorizontal: expected = [2, 1, 0, 12, 11, 10]
        case .rotate180: expected = [12, 11, 10, 2, 1, 0]
        case .flipVertical: expected = [10, 11, 12, 0, 1, 2]
        case .transpose: expected = [0, 10, 1, 11, 2, 12]
        case .rotate90: expected = [10, 0, 11, 1, 12, 2]
        case .transverse: expected = [12, 2, 11, 1, 10, 0]
        case .rotate270: expected = [2, 12, 1, 11, 0, 10]
        }
        let turned = image.oriented(orientation)
        #expect(turned.pixels == expected)
        #expect(turned.width == (orientation.swapsDimensions ? 2 : 3))
    }
}
