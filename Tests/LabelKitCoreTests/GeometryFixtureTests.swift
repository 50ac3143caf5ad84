import Foundation
import LabelKitCore
import LabelKitFormats
import Testing
import LabelKitJSON

// MARK: - Loading geometry/*.json

/// The three `geometry/*.json` files as Foundation objects (each case is a Label
/// Studio result dictionary), read once.
enum GeometryFixtureFile {
    static let names = ["rectangles", "ellipses", "polygons"]

    /// Parsed `cases` of each file; a file that cannot be read maps to nil.
    nonisolated(unsafe) static let cases: [String: [[String: Any]]] = {
        var out: [String: [[String: Any]]] = [:]
        for name in names {
            guard let data = try? Data(contentsOf: Fixtures.url("geometry/\(name).json")),
                let root = try? ExactJSON.parse(data) as? [String: Any],
                let list = root["cases"] as? [[String: Any]]
            else { continue }
            out[name] = list
        }
        return out
    }()

    static func caseObject(_ file: String, _ index: Int) throws -> [String: Any] {
        guard let list = cases[file] else { throw FixtureError("geometry/\(file).json is unreadable") }
        guard list.indices.contains(index) else { throw FixtureError("geometry/\(file).json has no case \(index)") }
        return list[index]
    }
}

/// One expected mask of a geometry case (`expected`, `expected_evenodd` or `expected_nonzero`).
struct GeometryExpected {
    var area: Int
    var bbox: [Int]
    var height: Int
    var width: Int
    var counts: String
    var onBoundaryPixels: Int
    var toleranceRobust: Bool

    init(_ any: Any?) throws {
        guard let object = any as? [String: Any],
            let area = (object["area"] as? NSNumber)?.intValue,
            let bbox = (object["bbox"] as? [NSNumber])?.map(\.intValue),
            let rle = object["rle"] as? [String: Any],
            let size = (rle["size"] as? [NSNumber])?.map(\.intValue), size.count == 2,
            let counts = rle["counts"] as? String
        else { throw FixtureError("malformed expected object: \(String(describing: any))") }
        self.area = area
        self.bbox = bbox
        self.height = size[0]
        self.width = size[1]
        self.counts = counts
        self.onBoundaryPixels = (object["on_boundary_pixels"] as? NSNumber)?.intValue ?? -1
        self.toleranceRobust = (object["tolerance_robust"] as? Bool) ?? false
    }
}

/// A reference to one case of a geometry file, checked under one fill rule.
struct GeometryCaseRef: Sendable, CustomTestStringConvertible {
    var file: String
    var index: Int
    var name: String
    var rule: FillRule
    /// `expected`, `expected_evenodd` or `expected_nonzero`.
    var expectedKey: String

    var testDescription: String {
        file == "polygons" ? "\(file)/\(name) \(rule.rawValue)" : "\(file)/\(name)"
    }

    /// Rectangles and ellipses once (`expected`, even-odd), polygons once per rule.
    static func all(_ file: String) -> [GeometryCaseRef] {
        guard let list = GeometryFixtureFile.cases[file] else {
            return [GeometryCaseRef(file: file, index: -1, name: "unreadable", rule: .evenOdd, expectedKey: "expected")]
        }
        var refs: [GeometryCaseRef] = []
        for (i, c) in list.enumerated() {
            let name = c["name"] as? String ?? "#\(i)"
            if file == "polygons" {
                refs.append(GeometryCaseRef(file: file, index: i, name: name, rule: .evenOdd, expectedKey: "expected_evenodd"))
                refs.append(GeometryCaseRef(file: file, index: i, name: name, rule: .nonZero, expectedKey: "expected_nonzero"))
            } else {
                refs.append(GeometryCaseRef(file: file, index: i, name: name, rule: .evenOdd, expectedKey: "expected"))
            }
        }
        return refs
    }

    /// Every case of every file, once per rule checked.
    static var every: [GeometryCaseRef] { GeometryFixtureFile.names.flatMap(all) }
    /// Every case once (for checks that do not depend on the rule).
    static var everyOnce: [GeometryCaseRef] { every.filter { $0.expectedKey != "expected_nonzero" } }
}

// MARK: - Mask comparison

enum GeometryMaskDiff {
    /// The first pixel (row-major) where `got` and `expected` differ as foreground
    /// (non-zero) vs background, plus how many pixels differ.
    static func firstDifference(_ got: Mask, _ expected: Mask) -> (x: Int, y: Int, got: UInt8, expected: UInt8, count: Int)? {
        precondition(got.width == expected.width && got.height == expected.height)
        if got.bytes == expected.bytes { return nil }
        var first: (Int, Int, UInt8, UInt8)?
        var count = 0
        got.bytes.withUnsafeBufferPointer { a in
            expected.bytes.withUnsafeBufferPointer { b in
                for k in 0..<a.count where (a[k] != 0) != (b[k] != 0) {
                    count += 1
                    if first == nil { first = (k % got.width, k / got.width, a[k], b[k]) }
                }
            }
        }
        guard let first else { return nil }
        return (first.0, first.1, first.2, first.3, count)
    }

    /// The mask of every pixel whose centre `shape.contains` accepts (computed here,
    /// pixel by pixel, without the rasterizer). With `near`, only the pixels within 2
    /// pixels of that box are tested (the rest stay 0), to keep big images fast.
    static func bruteForce(_ shape: Shape, rule: FillRule, width: Int, height: Int, near box: Box? = nil) -> Mask {
        var mask = Mask(width: width, height: height)
        var (c0, c1, r0, r1) = (0, width - 1, 0, height - 1)
        if let box {
            guard !box.isEmpty else { return mask }
            func clamp(_ v: Double, _ hi: Int) -> Int { v.isNaN ? 0 : Int(max(-1, min(Double(hi + 1), v.rounded(.down)))) }
            c0 = max(c0, clamp(box.minX - 2, width))
            c1 = min(c1, clamp(box.maxX + 2, width))
            r0 = max(r0, clamp(box.minY - 2, height))
            r1 = min(r1, clamp(box.maxY + 2, height))
        }
        guard c0 <= c1, r0 <= r1 else { return mask }
        mask.bytes.withUnsafeMutableBufferPointer { out in
            for r in r0...r1 {
                for c in c0...c1 where shape.contains(Point(x: Double(c) + 0.5, y: Double(r) + 0.5), rule: rule) {
                    out[r * width + c] = 255
                }
            }
        }
        return mask
    }
}

// MARK: - Tests

/// `geometry/{rectangles,ellipses,polygons}.json`: Label Studio results rasterized by
/// the pixel-centre rule and compared with the reference COCO RLE.
@Suite("Geometry fixtures")
struct GeometryFixtureTests {
    @Test("each geometry file has cases", arguments: GeometryFixtureFile.names)
    func filesHaveCases(_ file: String) throws {
        let list = try #require(GeometryFixtureFile.cases[file], "geometry/\(file).json is unreadable")
        #expect(list.count >= 20)
    }

    @Test("each case rasterizes to the expected COCO RLE, area and bbox", arguments: GeometryCaseRef.every)
    func rasterizesToExpected(_ ref: GeometryCaseRef) throws {
        let c = try GeometryFixtureFile.caseObject(ref.file, ref.index)
        let expected = try GeometryExpected(c[ref.expectedKey])
        let region = try LabelStudioRegion.region(from: c)
        let w = try #require((c["original_width"] as? NSNumber)?.intValue)
        let h = try #require((c["original_height"] as? NSNumber)?.intValue)
        #expect(expected.width == w && expected.height == h, "the expected RLE size is [h, w]")
        #expect(expected.toleranceRobust)

        var mask = Mask(width: w, height: h)
        mask.fill(region.shape, rule: ref.rule)
        let rle = COCORLE(encoding: mask)
        #expect(rle.compressedCounts == expected.counts)
        #expect(rle.area == expected.area)
        #expect(mask.area == expected.area)
        #expect(rle.boundingBox.map { Int($0) } == expected.bbox)

        let reference = try COCORLE(height: h, width: w, compressedCounts: expected.counts).decode()
        #expect(reference.area == expected.area, "the fixture's RLE decodes to its own area")
        if let d = GeometryMaskDiff.firstDifference(mask, reference) {
            let centre = Point(x: Double(d.x) + 0.5, y: Double(d.y) + 0.5)
            Issue.record(
                """
                \(ref.testDescription) (\(c["description"] as? String ?? "")): \(d.count) pixel(s) differ; \
                first differing pixel (x: \(d.x), y: \(d.y)): got \(d.got), expected \(d.expected); \
                shape.contains(centre) = \(region.shape.contains(centre, rule: ref.rule)); shape = \(region.shape)
                """)
        }
    }

    @Test("each case's per-pixel contains test matches the expected mask", arguments: GeometryCaseRef.every)
    func containsMatchesExpected(_ ref: GeometryCaseRef) throws {
        let c = try GeometryFixtureFile.caseObject(ref.file, ref.index)
        let expected = try GeometryExpected(c[ref.expectedKey])
        let region = try LabelStudioRegion.region(from: c)
        let reference = try COCORLE(height: expected.height, width: expected.width, compressedCounts: expected.counts)
            .decode()
        let (w, h) = (expected.width, expected.height)
        // Every pixel of small images; for large ones, the pixels on either side of
        // the reference mask's boundary (where the rule matters) plus a 1-in-53 sample.
        let everyPixel = w * h <= 100_000
        var differing = 0
        var first: String?
        reference.bytes.withUnsafeBufferPointer { m in
            for r in 0..<h {
                for col in 0..<w {
                    let k = r * w + col
                    let inside = m[k] != 0
                    if !everyPixel {
                        let onEdge =
                            (col > 0 && (m[k - 1] != 0) != inside) || (col + 1 < w && (m[k + 1] != 0) != inside)
                            || (r > 0 && (m[k - w] != 0) != inside) || (r + 1 < h && (m[k + w] != 0) != inside)
                        guard onEdge || k % 53 == 0 else { continue }
                    }
                    let got = region.shape.contains(Point(x: Double(col) + 0.5, y: Double(r) + 0.5), rule: ref.rule)
                    guard got != inside else { continue }
                    differing += 1
                    if first == nil { first = "(x: \(col), y: \(r)): contains gives \(got), expected \(inside)" }
                }
            }
        }
        if let first {
            Issue.record(
                "\(ref.testDescription): \(differing) pixel(s) differ; first \(first); shape = \(region.shape)")
        }
    }

    @Test("percent values become pixels by dividing by 100 first", arguments: GeometryCaseRef.everyOnce)
    func percentConversion(_ ref: GeometryCaseRef) throws {
        let c = try GeometryFixtureFile.caseObject(ref.file, ref.index)
        let value = try #require(c["value"] as? [String: Any])
        let w = Double(try #require((c["original_width"] as? NSNumber)?.intValue))
        let h = Double(try #require((c["original_height"] as? NSNumber)?.intValue))
        func num(_ key: String) throws -> Double { try #require((value[key] as? NSNumber)?.doubleValue, "value.\(key)") }
        let region = try LabelStudioRegion.region(from: c)
        let rotation = value["rotation"] == nil ? 0 : try num("rotation")
        switch region.shape {
        case .rectangle(let r):
            let (x, y, rw, rh) = (try num("x") / 100 * w, try num("y") / 100 * h, try num("width") / 100 * w, try num("height") / 100 * h)
            #expect(ref.file == "rectangles")
            #expect(r.origin == Point(x: x, y: y))
            #expect(r.width == rw)
            #expect(r.height == rh)
            #expect(r.rotation == rotation)
        case .ellipse(let e):
            let (x, y, rx, ry) = (try num("x") / 100 * w, try num("y") / 100 * h, try num("radiusX") / 100 * w, try num("radiusY") / 100 * h)
            #expect(ref.file == "ellipses")
            #expect(e.center == Point(x: x, y: y))
            #expect(e.radiusX == rx)
            #expect(e.radiusY == ry)
            #expect(e.rotation == rotation)
        case .polygon(let p):
            #expect(ref.file == "polygons")
            let raw = try #require(value["points"] as? [[NSNumber]])
            #expect(p.points == raw.map { Point(x: $0[0].doubleValue / 100 * w, y: $0[1].doubleValue / 100 * h) })
        default:
            Issue.record("unexpected shape \(region.shape) for \(ref.testDescription)")
        }
    }
}
