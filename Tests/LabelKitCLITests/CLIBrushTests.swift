import Foundation
import LabelKitImaging
import Testing

/// `labelkit brush`: strokes drawn by the pixel-centre rule, checked against
/// capsules computed here.
@Suite("labelkit brush")
struct CLIBrushTests {
    /// A pixel is inside a stroke when its centre is within size/2 of a segment.
    static func capsule(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double), _ r: Double) -> Bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let t = max(0, min(1, ((x - a.0) * dx + (y - a.1) * dy) / max(1e-300, dx * dx + dy * dy)))
        let (px, py) = (a.0 + t * dx - x, a.1 + t * dy - y)
        return (px * px + py * py).squareRoot() <= r + 1e-9
    }

    @Test("a polyline stroke, then an erasing one (Label Studio's spelling), as a PNG and as LS RLE")
    func strokes() throws {
        let expected: [UInt8] = (0..<40 * 30).map { i in
            let (x, y) = (Double(i % 40) + 0.5, Double(i / 40) + 0.5)
            let drawn = Self.capsule(x, y, (5, 5), (30, 20), 3) || Self.capsule(x, y, (30, 20), (35, 5), 3)
            return drawn && !Self.capsule(x, y, (18, 0), (18, 30), 2) ? 255 : 0
        }
        let dir = try TempDir()
        try """
        {"width": 40, "height": 30, "strokes": [
          {"points": [5, 5, 30, 20, 35, 5], "size": 6},
          {"points": [[18, 0], [18, 30]], "strokeWidth": 4, "compositeOperation": "destination-out"}]}
        """.write(toFile: dir.path("strokes.json"), atomically: true, encoding: .utf8)
        let png = try CLI.run(["brush", dir.path("strokes.json"), "-o", dir.path("mask.png")])
        #expect(png.status == 0, "\(png.stderrText)")
        let mask = try PNGCodec.decodeMask(Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("mask.png")))))
        #expect(mask.width == 40 && mask.height == 30 && mask.bytes == expected)
        let ls = try CLI.run(["brush", dir.path("strokes.json"), "--format", "ls"])
        try ls.stdout.write(to: URL(fileURLWithPath: dir.path("rle.json")))
        let decoded = try CLI.run(["rle", "decode", "--format", "ls", dir.path("rle.json"), "-o", dir.path("back.png")])
        #expect(decoded.status == 0, "\(decoded.stderrText)")
        let back = try PNGCodec.decodeMask(Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("back.png")))))
        #expect(back.bytes == expected)
        try #"{"width": 4, "height": 4, "strokes": [{"points": [1, 2, 3], "size": 1}]}"#.write(
            toFile: dir.path("odd.json"), atomically: true, encoding: .utf8)
        let odd = try CLI.run(["brush", dir.path("odd.json"), "--format", "coco"])
        #expect(odd.status == 2 && odd.stderrText.contains("strokes[0].points"), "\(odd.stderrText)")
    }
}
