import LabelKitImaging
import Testing

@Suite("PNG decoding")
struct PNGDecodeTests {
    /// Every PNG variant of the manifest, against the pixels numpy computed from its source samples.
    @Test("PNG variants decode to the expected 8-bit pixels", arguments: [
        "rgb16", "rgba16_interlaced", "gray16", "gray8", "gray8_interlaced", "gray1", "gray2", "gray4",
        "gray_alpha8", "rgb8_interlaced", "rgba8", "palette4", "palette4_trns_interlaced", "gray8_trns", "rgb8_trns",
    ])
    func variant(name: String) throws {
        let entry = try #require(try ImagingFixtures.manifest("png").first { $0.string("name") == name })
        let expected = try ImagingFixtures.raw(
            "png/\(name).raw", width: entry.int("width"), height: entry.int("height"), channels: entry.int("channels"))
        let decoded = try PNGCodec.decode(ImagingFixtures.bytes("png/\(name).png"))
        #expect(decoded.width == expected.width && decoded.height == expected.height)
        #expect(decoded.channels == expected.channels)
        #expect(decoded.pixels == expected.pixels)
    }

    @Test("the format-independent decoder reads PNG the same way")
    func imageCodec() throws {
        let data = try ImagingFixtures.bytes("png/rgba8.png")
        #expect(try ImageCodec.decode(data) == PNGCodec.decode(data))
    }
}
