import LabelKitImaging
import Testing

@Suite("Limits and bad input")
struct LimitsAndErrorsTests {
    private func code(_ body: () throws(ImagingError) -> Void) -> ImagingError.Code? {
        do {
            try body()
            return nil
        } catch {
            return error.code
        }
    }

    /// 100000 x 100000 RGB would need 30 GB: refused from the header, never allocated.
    @Test("a PNG bomb is refused before decoding, naming size and limit")
    func pngBomb() throws {
        let data = try ImagingFixtures.bytes("bomb_100000x100000.png")
        do {
            _ = try PNGCodec.decode(data)
            Issue.record("expected .tooLarge")
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.message.contains("100000x100000"))
            #expect(error.message.contains("\(PNGCodec.defaultMaxPixels)"))
        }
        let thumbnailer = try Thumbnailer(width: 256, height: 256)
        do {
            _ = try thumbnailer.thumbnail(data)
            Issue.record("expected .tooLarge")
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.message.contains("100000x100000") && error.message.contains("50000000"))
        }
    }

    @Test("a JPEG bomb is refused before decoding")
    func jpegBomb() throws {
        let data = try ImagingFixtures.bytes("bomb_65000x65000.jpg")
        #expect(code { () throws(ImagingError) in _ = try JPEGCodec.decode(data) } == .tooLarge)
        #expect(code { () throws(ImagingError) in _ = try JPEGCodec.decode(data, scaleDenominator: 8) } == .tooLarge)
        #expect(code { () throws(ImagingError) in _ = try Thumbnailer(width: 64, height: 64).thumbnail(data) } == .tooLarge)
    }

    @Test("a custom source limit applies to both formats")
    func customLimit() throws {
        let thumbnailer = try Thumbnailer(width: 16, height: 16, maxSourcePixels: 1000)
        let jpeg = try ImagingFixtures.bytes("jpeg/gray.jpg")  // 64 x 48 = 3072 pixels
        let png = try ImagingFixtures.bytes("png/rgba8.png")  // 37 x 23 = 851 pixels
        #expect(code { () throws(ImagingError) in _ = try thumbnailer.thumbnail(jpeg) } == .tooLarge)
        #expect(try thumbnailer.thumbnail(png).width == 16)
    }

    @Test("truncated, corrupt and foreign files throw typed errors", arguments: [
        ("png/truncated.png", "invalidImage"), ("png/bad_crc.png", "invalidImage"),
        ("jpeg/truncated.jpg", "invalidImage"),
    ])
    func corrupt(file: String, expected: String) throws {
        let data = try ImagingFixtures.bytes(file)
        #expect(code { () throws(ImagingError) in _ = try ImageCodec.decode(data) }?.description == expected)
        #expect(code { () throws(ImagingError) in _ = try Thumbnailer(width: 8, height: 8).thumbnail(data) }?.description == expected)
    }

    /// Every prefix of a PNG and a JPEG, and single-byte corruptions, either decode or
    /// throw; none traps (libpng's and libjpeg's longjmp stay in C).
    @Test("cut or flipped bytes never crash")
    func fuzz() throws {
        for file in ["png/palette4_trns_interlaced.png", "jpeg/gray.jpg", "orientation/o3_le.jpg"] {
            let data = try ImagingFixtures.bytes(file)
            for cut in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
                _ = try? ImageCodec.decode(Array(data.prefix(cut)))
            }
            for i in stride(from: 0, to: data.count, by: max(1, data.count / 61)) {
                var bad = data
                bad[i] ^= 0x5A
                _ = try? ImageCodec.decode(bad)
                _ = try? Thumbnailer(width: 5, height: 5).thumbnail(bad)
            }
        }
        #expect(code { () throws(ImagingError) in _ = try ImageCodec.decode([0xFF, 0xD8, 0xFF]) } == .invalidImage)
        #expect(code { () throws(ImagingError) in _ = try ImageCodec.decode([1, 2, 3]) } == .unsupported)
    }

    @Test("bad parameters are invalid arguments")
    func parameters() throws {
        let image = Image(width: 2, height: 2, channels: 3, pixels: [UInt8](repeating: 9, count: 12))
        #expect(code { () throws(ImagingError) in _ = try JPEGCodec.encode(image, quality: 0) } == .invalidArgument)
        #expect(code { () throws(ImagingError) in _ = try JPEGCodec.encode(image, quality: 101) } == .invalidArgument)
        #expect(code { () throws(ImagingError) in _ = try PNGCodec.encode(image, compressionLevel: 10) } == .invalidArgument)
        #expect(code { () throws(ImagingError) in _ = try Resampler.resize(image, width: 0, height: 3) } == .invalidArgument)
        #expect(code { () throws(ImagingError) in _ = try Thumbnailer(width: nil, height: nil) } == .invalidArgument)
        #expect(code { () throws(ImagingError) in _ = try Thumbnailer(width: 0, height: 5) } == .invalidArgument)
        let rgba = Image(width: 1, height: 1, channels: 4, pixels: [1, 2, 3, 4])
        #expect(code { () throws(ImagingError) in _ = try JPEGCodec.encode(rgba) } == .unsupported)
        let huge = try Thumbnailer(width: 60000, height: 60000, maxOutputPixels: 1_000_000)
        #expect(code { () throws(ImagingError) in _ = try huge.thumbnail(of: image) } == .tooLarge)
    }
}
