import Foundation
import LabelKitImaging
import LabelKitOperations
import Testing

/// Deep Zoom pyramids in one SQLite file.
@Suite("Stored pyramids")
struct StoredPyramidTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-store-\(UUID())-\(name)")
    }

    /// A 515x260 gradient with a pattern, as a JPEG file.
    static func sourceJPEG() throws -> (image: Image, bytes: [UInt8]) {
        let (w, h) = (515, 260)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) {
            let (x, y) = (i % w, i / w)
            pixels[i * 3] = UInt8(x % 256)
            pixels[i * 3 + 1] = UInt8((x ^ y) & 255)
            pixels[i * 3 + 2] = UInt8(y % 256)
        }
        let bytes = try JPEGCodec.encode(Image(width: w, height: h, channels: 3, pixels: pixels), quality: 92)
        return (try ImageCodec.decode(bytes), bytes)
    }

    @Test("a store built strip by strip holds the whole-image builder's tiles, byte for byte")
    func sameTiles() throws {
        let (image, bytes) = try Self.sourceJPEG()
        let file = Self.temporary("source.jpg"), store = Self.temporary("pyramid.tiles")
        let folder = Self.temporary("expected")
        defer { for url in [file, store, folder] { try? FileManager.default.removeItem(at: url) } }
        try Data(bytes).write(to: file)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pyramid = StaticPyramid(layout: .deepZoom, width: image.width, height: image.height, name: "p")
        try PyramidWriter(pyramid: pyramid, image: image, quality: 80).write(into: folder.path, jobs: 2)

        let reader = try #require(try RowSources.open(path: file.path))
        try StoredPyramid.build(
            from: reader, into: store.path, quality: 80, optimizeCoding: false, jobs: 2, metadata: ["source": "s"])
        let stored = try StoredPyramid(path: store.path)
        #expect(stored.zoom == DeepZoom(width: 515, height: 260))
        #expect(stored.metadata["source"] == "s" && stored.metadata["tiles"] == String(pyramid.tiles.count))
        let zoom = stored.zoom
        for tile in pyramid.tiles {
            let expected = try Data(contentsOf: folder.appendingPathComponent(tile.path))
            let got = try stored.tile(level: zoom.maxLevel - tile.level, column: tile.column, row: tile.row)
            #expect(got == Array(expected), "\(tile.path)")
        }
        #expect(throws: ImagingError.self) { try stored.tile(level: zoom.maxLevel, column: 99, row: 0) }
    }

    @Test("a truncated source leaves no store and no temporary file")
    func truncated() throws {
        let (_, bytes) = try Self.sourceJPEG()
        let folder = Self.temporary("folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("cut.jpg")
        try Data(bytes.prefix(bytes.count / 2)).write(to: file)
        let reader = try #require(try RowSources.open(path: file.path))
        #expect(throws: ImagingError.self) {
            try StoredPyramid.build(
                from: reader, into: folder.appendingPathComponent("cut.tiles").path, quality: 80, jobs: 2)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["cut.jpg"])
    }
}
