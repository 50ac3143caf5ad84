import LabelKitImaging
import Testing

@Suite("Image headers")
struct HeaderTests {
    @Test("PNG headers give size and 8-bit channels after expansion", arguments: [
        ("rgb16", 37, 23, 3), ("rgba16_interlaced", 37, 23, 4), ("gray1", 37, 23, 1), ("gray_alpha8", 37, 23, 2),
        ("palette4", 37, 23, 3), ("palette4_trns_interlaced", 37, 23, 4), ("gray8_trns", 37, 23, 2),
        ("rgb8_trns", 37, 23, 4),
    ])
    func pngHeader(name: String, width: Int, height: Int, channels: Int) throws {
        let header = try ImageHeader(ImagingFixtures.bytes("png/\(name).png"))
        #expect(header == ImageHeader(format: .png, width: width, height: height, channels: channels, orientation: .identity))
    }

    @Test("JPEG headers give size, channels and orientation")
    func jpegHeader() throws {
        let photo = try ImageHeader(ImagingFixtures.bytes("jpeg/photo_203x151.jpg"))
        #expect(photo == ImageHeader(format: .jpeg, width: 203, height: 151, channels: 3, orientation: .identity))
        let gray = try ImageHeader(ImagingFixtures.bytes("jpeg/gray.jpg"))
        #expect(gray.channels == 1 && gray.width == 64 && gray.height == 48)
        let cmyk = try ImageHeader(ImagingFixtures.bytes("jpeg/cmyk.jpg"))
        #expect(cmyk.channels == 3)
        let rotated = try ImageHeader(ImagingFixtures.bytes("orientation/o6_be.jpg"))
        #expect(rotated.orientation == .rotate90)
        #expect(rotated.width == 40 && rotated.height == 24)
        #expect(rotated.orientedWidth == 24 && rotated.orientedHeight == 40)
    }

    @Test("headers of bombs are read without allocating their pixels")
    func bombHeaders() throws {
        let png = try ImageHeader(ImagingFixtures.bytes("bomb_100000x100000.png"))
        #expect(png.width == 100_000 && png.height == 100_000 && png.pixelCount == 10_000_000_000)
        let jpeg = try ImageHeader(ImagingFixtures.bytes("bomb_65000x65000.jpg"))
        #expect(jpeg.width == 65000 && jpeg.height == 65000)
    }

    @Test("unknown and empty bytes are unsupported")
    func unknown() {
        #expect(throws: ImagingError.self) { try ImageHeader([]) }
        do {
            _ = try ImageHeader(Array("GIF89a....".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unsupported)
        }
    }

    @Test("format from signature and from file name")
    func formats() {
        #expect(ImageFormat(sniffing: [0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat(sniffing: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .png)
        #expect(ImageFormat(sniffing: [0xFF, 0xD8]) == nil)
        #expect(ImageFormat(pathExtension: "a/b/THUMB.JPG") == .jpeg)
        #expect(ImageFormat(pathExtension: "x.jpeg") == .jpeg)
        #expect(ImageFormat(pathExtension: "x.png") == .png)
        #expect(ImageFormat(pathExtension: "x.gif") == nil)
    }
}
