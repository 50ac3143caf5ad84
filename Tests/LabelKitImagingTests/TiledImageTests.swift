import Foundation
import Testing

@testable import LabelKitImaging

/// Regions rendered from stored Deep Zoom tiles.
@Suite("Tiled images")
struct TiledImageTests {
    /// A noisy image (every pixel different from its neighbours).
    static func noise(width: Int, height: Int, channels: Int) -> Image {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for i in pixels.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// The image's Deep Zoom tiles as lossless PNGs, cut from its levels.
    static func tiles(of source: SourceImage, zoom: DeepZoom) throws -> [String: [UInt8]] {
        var tiles: [String: [UInt8]] = [:]
        for level in 0...zoom.maxLevel {
            let (columns, rows) = zoom.grid(level: level)
            for row in 0..<rows {
                for column in 0..<columns {
                    let r = zoom.tileRect(level: level, column: column, row: row)!
                    let crop = source.levels[zoom.maxLevel - level].cropped(x: r.x, y: r.y, width: r.width, height: r.height)
                    tiles["\(level)/\(column)_\(row)"] = try PNGCodec.encode(crop)
                }
            }
        }
        return tiles
    }

    @Test("with lossless tiles, any region at any size equals the decoded image's render", arguments: [1, 3])
    func equalsWholeRender(channels: Int) throws {
        for (width, height) in [(257, 300), (600, 131), (1, 513), (511, 1)] {
            let source = SourceImage(Self.noise(width: width, height: height, channels: channels))
            let zoom = DeepZoom(width: width, height: height, tileSize: 62, overlap: 1)
            let tiles = try Self.tiles(of: source, zoom: zoom)
            let tiled = TiledImage(zoom: zoom) { level, column, row throws(ImagingError) in
                guard let bytes = tiles["\(level)/\(column)_\(row)"] else {
                    throw ImagingError(.invalidArgument, "no tile \(level)/\(column)_\(row)")
                }
                return bytes
            }
            var state: UInt64 = 7
            func next(_ n: Int) -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1
                return Int(state >> 33) % n
            }
            for _ in 0..<40 {
                let x = next(width), y = next(height)
                let w = 1 + next(width - x), h = 1 + next(height - y)
                let outWidth = max(1, w >> next(6)), outHeight = max(1, h >> next(6))
                let expected = try source.render(x: x, y: y, width: w, height: h, outWidth: outWidth, outHeight: outHeight)
                let got = try tiled.render(x: x, y: y, width: w, height: h, outWidth: outWidth, outHeight: outHeight)
                #expect(got == expected, "\(width)x\(height): (\(x), \(y), \(w), \(h)) to \(outWidth)x\(outHeight)")
            }
        }
    }

    @Test("a stored tile of the wrong size is an error naming it, not a wrong picture")
    func wrongTile() throws {
        let zoom = DeepZoom(width: 300, height: 300)
        let small = try PNGCodec.encode(Self.noise(width: 10, height: 10, channels: 3))
        let tiled = TiledImage(zoom: zoom) { _, _, _ in small }
        #expect {
            _ = try tiled.render(x: 0, y: 0, width: 300, height: 300, outWidth: 300, outHeight: 300)
        } throws: { error in
            (error as? ImagingError)?.message.contains("stored tile 9/0_0") == true
        }
    }

    @Test("a header whose file is too small to hold its pixels is a bomb; real files of flat colour are not")
    func plausibleSize() throws {
        for name in ["bomb_65000x65000.jpg", "bomb_100000x100000.png"] {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/imaging/\(name)")
            let bytes = [UInt8](try Data(contentsOf: url))
            let header = try ImageHeader(bytes)
            #expect(throws: ImagingError.self, "\(name)") { try header.checkPlausible(fileBytes: bytes.count) }
        }
        // The most compressible real files: one flat colour, gray and RGB, JPEG and PNG.
        for channels in [1, 3] {
            let flat = Image(
                width: 4000, height: 3000, channels: channels,
                pixels: [UInt8](repeating: 200, count: 4000 * 3000 * channels))
            for bytes in [try JPEGCodec.encode(flat, quality: 10), try PNGCodec.encode(flat, compressionLevel: 9)] {
                let header = try ImageHeader(bytes)
                #expect(bytes.count >= header.leastPlausibleBytes, "\(channels) channels, \(bytes.count) bytes")
            }
        }
    }

    @Test("a distorted size reads a coarser level, never more than maxPixels of one")
    func distorted() {
        // 16384 x 100000 to 16384 x 488: the smaller factor is 1, so level 0 would be read whole.
        let plain = LevelCrop(
            x: 0, y: 0, width: 16384, height: 100_000, outWidth: 16384, outHeight: 488, imageWidth: 100_000,
            imageHeight: 100_000)
        #expect(plain.level == 0)
        let bounded = LevelCrop(
            x: 0, y: 0, width: 16384, height: 100_000, outWidth: 16384, outHeight: 488, imageWidth: 100_000,
            imageHeight: 100_000, maxPixels: 32_000_000)
        #expect(bounded.width * bounded.height <= 32_000_000 && bounded.level == 3)
    }
}
