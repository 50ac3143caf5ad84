import Foundation
import LabelKitImaging
import Testing

@Suite("Thumbnails")
struct ThumbnailTests {
    /// Sizes libvips `thumbnail` produced (geometry.json) for 12 sources, 6 boxes,
    /// 3 fits, plus width-only and height-only targets.
    @Test("sizes match libvips thumbnail for every fit mode")
    func geometryMatchesVips() throws {
        let cases = try #require(ImagingFixtures.json("geometry.json")["cases"] as? [[String: Any]])
        #expect(cases.count > 200)
        for c in cases {
            let source = try #require(c["source"] as? [Int])
            let target = try #require(c["target"] as? [Any])
            let output = try #require(c["output"] as? [Int])
            let fit = try #require(ThumbnailFit(rawValue: c.string("fit")))
            let g = ThumbnailGeometry(
                sourceWidth: source[0], sourceHeight: source[1], targetWidth: target[0] as? Int,
                targetHeight: target[1] as? Int, fit: fit)
            #expect([g.width, g.height] == output, "\(source) -> \(target) \(fit)")
        }
    }

    @Test("fill crops the centre of the covering resize")
    func fillCrop() {
        let g = ThumbnailGeometry(sourceWidth: 6000, sourceHeight: 4000, targetWidth: 256, targetHeight: 256, fit: .fill)
        #expect(g.resizeWidth == 384 && g.resizeHeight == 256)
        #expect(g.cropX == 64 && g.cropY == 0 && g.width == 256 && g.height == 256)
    }

    @Test("thumbnail sizes for every fit mode on a real JPEG", arguments: ThumbnailFit.allCases)
    func fits(fit: ThumbnailFit) throws {
        let data = try ImagingFixtures.bytes("quality/photo_1200x800.jpg")
        let expected: (Int, Int) = fit == .fit ? (100, 67) : (100, 120)
        let image = try Thumbnailer(width: 100, height: 120, fit: fit).thumbnail(data)
        #expect(image.width == expected.0 && image.height == expected.1 && image.channels == 3)
        let wide = try Thumbnailer(width: 90, height: nil, fit: fit).thumbnail(data)
        #expect(wide.width == 90 && wide.height == 60)
        let tall = try Thumbnailer(width: nil, height: 90, fit: fit).thumbnail(data)
        #expect(tall.width == 135 && tall.height == 90)
    }

    @Test("fill keeps the centre: a fill thumbnail equals the centre of the fit-to-cover one")
    func fillIsCentreOfCover() throws {
        let data = try ImagingFixtures.bytes("quality/photo_1200x800.jpg")
        let fill = try Thumbnailer(width: 100, height: 100, fit: .fill).thumbnail(data)
        let cover = try Thumbnailer(width: nil, height: 100).thumbnail(data)  // 150 x 100
        #expect(fill == cover.cropped(x: 25, y: 0, width: 100, height: 100))
    }

    @Test("targets refer to the upright image", arguments: 1...8)
    func orientation(tag: Int) throws {
        let data = try ImagingFixtures.bytes("orientation/o\(tag)_le.jpg")  // stored 40 x 24
        let image = try Thumbnailer(width: 20, height: 20).thumbnail(data)
        #expect(tag >= 5 ? (image.width == 12 && image.height == 20) : (image.width == 20 && image.height == 12))
        // Same as thumbnailing the upright decode (Pillow's exif_transpose fixture).
        let entry = try #require(try ImagingFixtures.manifest("orientation").first { $0.int("orientation") == tag })
        let upright = try ImagingFixtures.raw(
            entry.string("raw"), width: entry.int("width"), height: entry.int("height"), channels: 3)
        let reference = try Thumbnailer(width: 20, height: 20).thumbnail(of: upright)
        #expect(PixelMath.maxDifference(image, reference) <= 2)
    }

    /// libvips `thumbnail` output stored as PNG; ours must be within 30 dB PSNR.
    @Test("256-px thumbnail of a photo is within 30 dB of libvips")
    func qualityJPEG() throws {
        let ours = try Thumbnailer(width: 256, height: 256).thumbnail(ImagingFixtures.bytes("quality/photo_1200x800.jpg"))
        let reference = try PNGCodec.decode(ImagingFixtures.bytes("quality/vips_256.png"))
        #expect(ours.width == reference.width && ours.height == reference.height)
        let psnr = PixelMath.psnr(ours, reference)
        #expect(psnr >= 30, "PSNR \(psnr) dB")
    }

    /// Compared as seen: colour times alpha, and alpha (the colour of nearly
    /// transparent pixels is not visible, and 8-bit premultiplied samples cannot
    /// recover it exactly where libvips works in float).
    @Test("RGBA thumbnail is within 30 dB of libvips (premultiplied reduce)")
    func qualityAlpha() throws {
        let ours = try Thumbnailer(width: 120, height: 120).thumbnail(ImagingFixtures.bytes("quality/alpha_480x320.png"))
        let reference = try PNGCodec.decode(ImagingFixtures.bytes("quality/vips_alpha_120.png"))
        #expect(ours.channels == 4 && ours.width == reference.width && ours.height == reference.height)
        func visible(_ image: Image) -> Image {
            var pixels = image.pixels
            for i in stride(from: 0, to: pixels.count, by: 4) {
                let a = Int(pixels[i + 3])
                for k in 0..<3 { pixels[i + k] = UInt8((Int(pixels[i + k]) * a + 127) / 255) }
            }
            return Image(width: image.width, height: image.height, channels: 4, pixels: pixels)
        }
        let psnr = PixelMath.psnr(visible(ours), visible(reference))
        #expect(psnr >= 30, "PSNR \(psnr) dB")
    }

    @Test("the encoded thumbnail reads back with the same size")
    func encoded() throws {
        let thumbnail = try Thumbnailer(width: 64, height: 64).thumbnail(ImagingFixtures.bytes("png/palette4_trns_interlaced.png"))
        for format in ImageFormat.allCases {
            let data = try ImageCodec.encode(thumbnail, as: format, quality: 80)
            let header = try ImageHeader(data)
            #expect(header.format == format && header.width == 64 && header.height == 40)
        }
    }
}
