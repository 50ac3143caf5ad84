import Foundation
import LabelKitImaging
import Testing

/// Pyramids built strip by strip from a streamed JPEG equal the ones built from
/// the whole decoded image, file for file and byte for byte.
@Suite("Strip-built pyramids")
final class StripPyramidTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-strips-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A JPEG file of a textured `width x height` image (gradients and noise,
    /// so tiles and halvings differ everywhere).
    func jpeg(width: Int, height: Int, channels: Int = 3) throws -> String {
        var random = SystemRandomNumberGenerator()
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    pixels[(y * width + x) * channels + c] = UInt8(
                        truncatingIfNeeded: x * (3 + c) + y * (5 - c) + Int.random(in: 0..<24, using: &random))
                }
            }
        }
        let image = Image(width: width, height: height, channels: channels, pixels: pixels)
        let path = folder.appendingPathComponent("\(width)x\(height)-\(channels).jpg").path
        try Data(try JPEGCodec.encode(image, quality: 92)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every file under `root`, by relative path.
    func files(_ root: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(
            at: URL(fileURLWithPath: root), includingPropertiesForKeys: nil)!
        {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            result[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return result
    }

    func compare(_ path: String, layout: StaticPyramid.Layout, tileSize: Int? = nil, format: String = "jpg") throws {
        let whole = try JPEGCodec.decode(
            Array(try Data(contentsOf: URL(fileURLWithPath: path))), applyOrientation: false)
        let pyramid = StaticPyramid(
            layout: layout, width: whole.width, height: whole.height, name: "image", tileSize: tileSize, format: format)
        let a = folder.appendingPathComponent(UUID().uuidString).path
        let b = folder.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: a, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: true)
        try PyramidWriter(pyramid: pyramid, image: whole).write(into: a, jobs: 2)
        let reader = try JPEGRowReader(path: path)
        let writer = StripPyramidWriter(pyramid: pyramid, channels: reader.channels)
        try writer.write(into: b, jobs: 2) { buffer, rows throws(ImagingError) in
            try reader.read(into: buffer, rows: rows)
        }
        let (expected, got) = (try files(a), try files(b))
        #expect(expected.count == Set(pyramid.tiles.map(\.path)).count + (pyramid.descriptor == nil ? 0 : 1))
        #expect(Set(got.keys) == Set(expected.keys), "\(layout) \(whole.width)x\(whole.height)")
        let differing = expected.keys.filter { got[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "\(layout) \(whole.width)x\(whole.height): \(differing.prefix(5))")
    }

    @Test(
        "odd and even sizes, every layout",
        arguments: [(1, 300), (300, 1), (255, 255), (256, 256), (257, 257), (511, 130), (513, 513), (97, 389)])
    func sizes(width: Int, height: Int) throws {
        let path = try jpeg(width: width, height: height)
        try compare(path, layout: .deepZoom)
        try compare(path, layout: .deepZoom, tileSize: 62)
        try compare(path, layout: .xyz, tileSize: 64)
        try compare(path, layout: .iiif, tileSize: 64)
    }

    @Test("gray sources and PNG tiles")
    func grayAndPNG() throws {
        let path = try jpeg(width: 301, height: 203, channels: 1)
        try compare(path, layout: .deepZoom, tileSize: 62)
        try compare(path, layout: .xyz, tileSize: 64, format: "png")
    }

    @Test(
        "PNG sources (gray, gray + alpha, RGB, RGBA, 16-bit), strip by strip equal to whole", arguments: [1, 2, 3, 4])
    func pngSources(channels: Int) throws {
        var random = SystemRandomNumberGenerator()
        let (width, height) = (263, 171)
        let pixels = (0..<(width * height * channels)).map { i in
            UInt8(
                truncatingIfNeeded: i / channels % width + i / (width * channels) * 3
                    + Int.random(in: 0..<9, using: &random))
        }
        let image = Image(width: width, height: height, channels: channels, pixels: pixels)
        let path = folder.appendingPathComponent("source-\(channels).png").path
        try Data(try PNGCodec.encode(image)).write(to: URL(fileURLWithPath: path))
        let whole = try PNGCodec.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        for layout in [StaticPyramid.Layout.deepZoom, .xyz] {
            let pyramid = StaticPyramid(
                layout: layout, width: width, height: height, name: "image", tileSize: 62, format: "png")
            let a = folder.appendingPathComponent(UUID().uuidString).path
            let b = folder.appendingPathComponent(UUID().uuidString).path
            try FileManager.default.createDirectory(atPath: a, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: true)
            try PyramidWriter(pyramid: pyramid, image: whole).write(into: a, jobs: 2)
            let reader = try PNGRowReader(path: path)
            #expect(reader.channels == channels && !reader.interlaced)
            try StripPyramidWriter(pyramid: pyramid, channels: reader.channels).write(into: b, jobs: 2) {
                buffer, rows throws(ImagingError) in try reader.read(into: buffer, rows: rows)
            }
            let (expected, got) = (try files(a), try files(b))
            #expect(Set(got.keys) == Set(expected.keys))
            #expect(expected.keys.filter { got[$0] != expected[$0] }.isEmpty, "\(layout), \(channels) channels")
        }
    }

    @Test("the rows held are a few tile rows, whatever the image's height")
    func boundedWindows() throws {
        let (width, height) = (400, 6000)
        let path = try jpeg(width: width, height: height)
        let reader = try JPEGRowReader(path: path)
        let pyramid = StaticPyramid(layout: .deepZoom, width: width, height: height, tileSize: 62)
        let writer = StripPyramidWriter(pyramid: pyramid, channels: 3)
        let out = folder.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try writer.write(into: out, jobs: 2) { buffer, rows throws(ImagingError) in
            try reader.read(into: buffer, rows: rows)
        }
        // Each level holds its tallest tile (62 + 2 overlap) + 2 rows; the widths
        // halve from 400, so all levels together stay under twice the top's.
        #expect(writer.windowBytes > 0)
        #expect(writer.windowBytes <= 2 * (62 + 2 + 2) * width * 3)
        #expect(writer.windowBytes * 20 < width * height * 3)
    }

    @Test("a truncated JPEG fails with libjpeg's message")
    func truncated() throws {
        let path = try jpeg(width: 300, height: 300)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let reader = try JPEGRowReader(path: path)
        let pyramid = StaticPyramid(layout: .deepZoom, width: 300, height: 300)
        let out = folder.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(throws: ImagingError.self) {
            try StripPyramidWriter(pyramid: pyramid, channels: 3).write(into: out, jobs: 2) {
                buffer, rows throws(ImagingError) in try reader.read(into: buffer, rows: rows)
            }
        }
    }
}
