import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

/// `yolo-seg` for brushes (traced, one polygon per part, holes dropped) and
/// `yolo-obb` for polygons, ellipses and brushes (minimum-area rectangles), with
/// `MinimumAreaRectangle` checked against a brute-force search over angles.
@Suite("Export: YOLO-seg brushes and YOLO-OBB boxes")
struct ExportYOLOShapesTests {
    static func lines(_ task: [String: Any], _ format: ExportFormat, labels: [String]) throws -> [[Double]] {
        let out = try ExportTaskExporterTests.export(task, format, labels: labels)
        let text = String(decoding: try #require(out.files.first).bytes, as: UTF8.self)
        return text.split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }
    }

    /// The smallest area of an axis-aligned box of `points` turned by any of 90,000 angles in [0, 90°).
    static func bruteForceArea(_ points: [Point]) -> Double {
        var best = Double.infinity
        for k in 0..<90_000 {
            let t = Double(k) / 1_000 * Double.pi / 180, c = cos(t), s = sin(t)
            var box = Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
            for p in points {
                let u = p.x * c + p.y * s, v = -p.x * s + p.y * c
                box.minX = min(box.minX, u); box.maxX = max(box.maxX, u)
                box.minY = min(box.minY, v); box.maxY = max(box.maxY, v)
            }
            best = min(best, box.width * box.height)
        }
        return best
    }

    @Test("minimum-area rectangle: a turned 10 x 4 rectangle with points inside gives itself back; random sets match brute force")
    func minimumAreaRectangle() {
        let t = 30 * Double.pi / 180, (c, s) = (cos(t), sin(t))
        func at(_ u: Double, _ v: Double) -> Point { Point(x: 5 + u * c - v * s, y: 7 + u * s + v * c) }
        let corners = [at(0, 0), at(10, 0), at(10, 4), at(0, 4)]
        let inside = [at(3, 1), at(9, 3.5), at(0.5, 2), at(5, 0)]
        let box = MinimumAreaRectangle(points: inside + corners.reversed())
        #expect(abs(box.area - 40) < 1e-9)
        #expect(box.corners.count == 4)
        for corner in corners {
            #expect(box.corners.contains { abs($0.x - corner.x) < 1e-9 && abs($0.y - corner.y) < 1e-9 })
        }
        #expect(Polygon.signedArea(of: box.corners) > 0, "corners run clockwise on screen")
        #expect(box.corners[0].y == box.corners.map(\.y).min())
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let points = (0..<12).map { _ in
                Point(x: Double.random(in: -50...50, using: &generator), y: Double.random(in: -20...20, using: &generator))
            }
            let area = MinimumAreaRectangle(points: points).area
            let brute = Self.bruteForceArea(points)
            #expect(area <= brute + 1e-9 && area > brute * (1 - 1e-4), "\(area) vs brute force \(brute)")
        }
        #expect(MinimumAreaRectangle(points: []).corners.isEmpty)
        #expect(MinimumAreaRectangle(points: [Point(x: 1, y: 1), Point(x: 3, y: 3)]).area == 0)
    }

    @Test("yolo-seg brush: one polygon per part along its pixel edges; a hole is dropped")
    func segBrush() throws {
        var mask = Mask(width: 40, height: 20)
        for y in 2..<6 { for x in 3..<9 { mask[x, y] = 255 } }  // part 1: 6 x 4
        for y in 10..<18 { for x in 20..<30 where !(y >= 12 && y < 15 && x >= 23 && x < 26) { mask[x, y] = 200 } }  // ring
        mask[35, 1] = 9  // part 3: one pixel
        let task = LSBuild.task(1, annotations: [LSBuild.annotation(2, [LSBuild.brush("b", mask, labels: ["Blob"])])])
        let lines = try Self.lines(task, .yoloSeg, labels: ["Blob"])
        #expect(lines.count == 3)
        func polygon(_ line: [Double]) -> Set<[Double]> {
            Set(stride(from: 1, to: line.count, by: 2).map { [line[$0] * 40, line[$0 + 1] * 20] })
        }
        #expect(lines.allSatisfy { $0[0] == 0 })
        // Parts in raster order of their first pixel.
        #expect(polygon(lines[0]) == [[35, 1], [36, 1], [36, 2], [35, 2]])
        #expect(polygon(lines[1]) == [[3, 2], [9, 2], [9, 6], [3, 6]])
        #expect(polygon(lines[2]) == [[20, 10], [30, 10], [30, 18], [20, 18]], "the outer ring only")
    }

    @Test("yolo-obb: a polygon drawn as a turned rectangle, an ellipse, a diagonal brush get their smallest boxes")
    func obb() throws {
        // 200 x 100 px. The polygon: a 60 x 20 px rectangle turned by 30 degrees about (100, 50), in percent.
        let t = 30 * Double.pi / 180, (c, s) = (cos(t), sin(t))
        let pixels = [(-30.0, -10.0), (30, -10), (30, 10), (-30, 10)].map { (u, v) in
            (100 + u * c - v * s, 50 + u * s + v * c)
        }
        var brush = Mask(width: 200, height: 100)
        for k in 0..<40 { brush[10 + k, 10 + k] = 255; brush[11 + k, 10 + k] = 255 }
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.polygon("p", pixels.map { [$0.0 / 2, $0.1] }, labels: ["P"]),
                        LSBuild.ellipse("e", x: 50, y: 50, rx: 10, ry: 20, rotation: 30, labels: ["E"]),
                        LSBuild.brush("b", brush, labels: ["B"]),
                    ])
            ])
        let lines = try Self.lines(task, .yoloOBB, labels: ["P", "E", "B"])
        try #require(lines.count == 3)
        func corners(_ line: [Double]) -> [Point] {
            stride(from: 1, to: 9, by: 2).map { Point(x: line[$0] * 200, y: line[$0 + 1] * 100) }
        }
        let p = corners(lines[0])
        #expect(abs(Polygon.signedArea(of: p) - 1_200) < 1e-6)
        for (x, y) in pixels { #expect(p.contains { abs($0.x - x) < 1e-9 && abs($0.y - y) < 1e-9 }) }
        // The ellipse: centre (100, 50), rx = 10% of 200 = 20 px, ry = 20% of 100 = 20 px: its own 40 x 40 box.
        let e = corners(lines[1])
        #expect(abs(Polygon.signedArea(of: e) - 40 * 40) < 1e-6)
        #expect(e.allSatisfy { abs(hypot($0.x - 100, $0.y - 50) - 20 * 2.0.squareRoot()) < 1e-9 })
        // The brush: a diagonal band 2 px wide and 40 px long; its box is turned by 45 degrees.
        let b = corners(lines[2])
        let area = Polygon.signedArea(of: b)
        #expect(area < 0.25 * Double(40 * 41), "a turned box, far smaller than the 41 x 40 upright one: \(area)")
        #expect(abs(area - Self.bruteForceArea(brush.contours().flatMap(\.outer))) < 0.05 * area)
    }
}
