import Foundation
import LabelKitCore
import LabelKitFormats
import Testing

/// One malformed Label Studio result and the error it must produce.
struct GeometryBadRegion: Sendable, CustomTestStringConvertible {
    var name: String
    var code: FormatsError.Code
    var build: @Sendable () -> [String: Any]
    var testDescription: String { name }

    /// The region id used by a case (unique, so the message check is meaningful).
    static func id(_ name: String) -> String { "bad-\(name.replacingOccurrences(of: " ", with: "-"))" }

    /// A 640x480 result of `type` with `value`.
    static func result(_ name: String, _ type: String, _ value: [String: Any]) -> [String: Any] {
        ["id": id(name), "type": type, "original_width": 640, "original_height": 480, "value": value]
    }

    static func rect(_ name: String, _ code: FormatsError.Code, _ change: @escaping @Sendable (inout [String: Any]) -> Void)
        -> GeometryBadRegion
    {
        GeometryBadRegion(name: name, code: code) {
            var value: [String: Any] = ["x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0.0]
            change(&value)
            return result(name, "rectanglelabels", value)
        }
    }

    static func ellipse(_ name: String, _ code: FormatsError.Code, _ change: @escaping @Sendable (inout [String: Any]) -> Void)
        -> GeometryBadRegion
    {
        GeometryBadRegion(name: name, code: code) {
            var value: [String: Any] = ["x": 50.0, "y": 50.0, "radiusX": 10.0, "radiusY": 5.0, "rotation": 30.0]
            change(&value)
            return result(name, "ellipselabels", value)
        }
    }

    static func keypoint(_ name: String, _ code: FormatsError.Code, _ change: @escaping @Sendable (inout [String: Any]) -> Void)
        -> GeometryBadRegion
    {
        GeometryBadRegion(name: name, code: code) {
            var value: [String: Any] = ["x": 50.0, "y": 50.0, "width": 1.0]
            change(&value)
            return result(name, "keypointlabels", value)
        }
    }

    static func polygon(_ name: String, _ code: FormatsError.Code, _ points: @escaping @Sendable () -> Any) -> GeometryBadRegion {
        GeometryBadRegion(name: name, code: code) {
            result(name, "polygonlabels", ["points": points(), "closed": true])
        }
    }

    static func whole(_ name: String, _ code: FormatsError.Code, _ change: @escaping @Sendable (inout [String: Any]) -> Void)
        -> GeometryBadRegion
    {
        GeometryBadRegion(name: name, code: code) {
            var object = result(name, "rectanglelabels", ["x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0])
            change(&object)
            return object
        }
    }

    /// A valid brush RLE for a 4x3 mask (encoded by the library), for truncation.
    static let brushRLE: [Int] = {
        var mask = Mask(width: 4, height: 3)
        mask[1, 1] = 255
        mask[2, 1] = 255
        return ((try? LabelStudioRLE.encode(mask)) ?? []).map(Int.init)
    }()

    static func brush(_ name: String, _ code: FormatsError.Code, _ rle: @escaping @Sendable () -> Any) -> GeometryBadRegion {
        GeometryBadRegion(name: name, code: code) {
            ["id": id(name), "type": "brushlabels", "original_width": 4, "original_height": 3,
             "value": ["format": "rle", "rle": rle(), "brushlabels": ["x"]]]
        }
    }

    static let all: [GeometryBadRegion] = [
        // Non-finite numbers, as Swift Doubles and as NSNumbers.
        rect("rect x nan", .invalidField) { $0["x"] = Double.nan },
        rect("rect y nan nsnumber", .invalidField) { $0["y"] = NSNumber(value: Double.nan) },
        rect("rect width infinity", .invalidField) { $0["width"] = Double.infinity },
        rect("rect height minus infinity", .invalidField) { $0["height"] = -Double.infinity },
        rect("rect rotation nan", .invalidField) { $0["rotation"] = Double.nan },
        rect("rect rotation infinity nsnumber", .invalidField) { $0["rotation"] = NSNumber(value: Double.infinity) },
        ellipse("ellipse x infinity", .invalidField) { $0["x"] = Double.infinity },
        ellipse("ellipse radiusX nan", .invalidField) { $0["radiusX"] = Double.nan },
        ellipse("ellipse radiusY infinity", .invalidField) { $0["radiusY"] = Double.infinity },
        ellipse("ellipse rotation nan", .invalidField) { $0["rotation"] = Double.nan },
        keypoint("keypoint y nan", .invalidField) { $0["y"] = Double.nan },
        keypoint("keypoint width infinity", .invalidField) { $0["width"] = Double.infinity },
        polygon("polygon x nan", .invalidField) { [[10.0, 10.0], [Double.nan, 20.0], [30.0, 5.0]] },
        polygon("polygon y infinity", .invalidField) { [[10.0, 10.0], [20.0, Double.infinity], [30.0, 5.0]] },
        polygon("polygon nan nsnumber", .invalidField) {
            [[NSNumber(value: 10.0), NSNumber(value: Double.nan)], [NSNumber(value: 1.0), NSNumber(value: 2.0)]]
        },
        // Empty or malformed polygons.
        polygon("polygon empty points", .invalidField) { [Any]() },
        polygon("polygon points not a list", .missingField) { "10,20 30,40" },
        polygon("polygon point with one number", .invalidField) { [[10.0, 10.0], [20.0]] },
        polygon("polygon point of strings", .invalidField) { [["10", "20"], ["30", "40"]] },
        GeometryBadRegion(name: "polygon missing points", code: .missingField) {
            result("polygon missing points", "polygonlabels", ["closed": true])
        },
        // Negative sizes.
        rect("rect negative width", .invalidField) { $0["width"] = -1.0 },
        rect("rect negative height", .invalidField) { $0["height"] = -0.001 },
        ellipse("ellipse negative radiusX", .invalidField) { $0["radiusX"] = -5.0 },
        ellipse("ellipse negative radiusY", .invalidField) { $0["radiusY"] = -1e-9 },
        keypoint("keypoint negative radius", .invalidField) { $0["width"] = -2.0 },
        // Missing and mistyped fields.
        rect("rect missing x", .missingField) { $0["x"] = nil },
        rect("rect missing height", .missingField) { $0["height"] = nil },
        rect("rect width as string", .invalidField) { $0["width"] = "30" },
        ellipse("ellipse missing radiusY", .missingField) { $0["radiusY"] = nil },
        keypoint("keypoint missing x", .missingField) { $0["x"] = nil },
        // Unknown types, missing value, missing or bad image size.
        whole("unknown type", .unsupportedRegion) { $0["type"] = "cuboidlabels" },
        whole("missing type", .unsupportedRegion) { $0["type"] = nil },
        whole("generic labels without geometry", .unsupportedRegion) {
            $0["type"] = "labels"
            $0["value"] = ["labels": ["cat"]]
        },
        whole("missing value", .missingField) { $0["value"] = nil },
        whole("value not an object", .missingField) { $0["value"] = "x=10" },
        whole("missing original size", .missingField) {
            $0["original_width"] = nil
            $0["original_height"] = nil
        },
        whole("missing original height", .missingField) { $0["original_height"] = nil },
        whole("fractional original width", .missingField) { $0["original_width"] = 640.5 },
        whole("zero original width", .invalidField) { $0["original_width"] = 0 },
        whole("negative original height", .invalidField) { $0["original_height"] = -480 },
        // Brush results whose RLE does not decode.
        brush("brush truncated rle", .invalidField) { Array(brushRLE.prefix(brushRLE.count / 2)) },
        brush("brush rle header only", .invalidField) { Array(brushRLE.prefix(4)) },
        brush("brush empty rle", .invalidField) { [Int]() },
        brush("brush rle value out of range", .invalidField) { [0, 0, 0, 48, 300] },
        brush("brush rle not a list", .invalidField) { "AAAA" },
        brush("brush rle missing", .invalidField) { NSNull() },
    ]
}

/// Malformed Label Studio results: every failure is a `FormatsError` whose message
/// names the region, and nothing traps.
@Suite("Geometry: malformed Label Studio regions")
struct GeometryErrorTests {
    @Test("the valid templates parse (so each failure is due to its one change)")
    func templatesAreValid() throws {
        let rect = try LabelStudioRegion.region(from: GeometryBadRegion.result("ok", "rectanglelabels", [
            "x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0.0,
        ]))
        #expect(rect.shape == .rectangle(RotatedRect(origin: Point(x: 64, y: 96), width: 192, height: 192)))
        #expect(rect.id == GeometryBadRegion.id("ok"))
        let ellipse = try LabelStudioRegion.region(from: GeometryBadRegion.result("e", "ellipselabels", [
            "x": 50.0, "y": 50.0, "radiusX": 10.0, "radiusY": 5.0, "rotation": 30.0,
        ]))
        #expect(ellipse.shape == .ellipse(Ellipse(center: Point(x: 320, y: 240), radiusX: 64, radiusY: 24, rotation: 30)))
        let keypoint = try LabelStudioRegion.region(from: GeometryBadRegion.result("k", "keypointlabels", [
            "x": 50.0, "y": 50.0, "width": 1.0,
        ]))
        #expect(keypoint.shape == .keypoint(Disc(center: Point(x: 320, y: 240), radius: 6.4)))
        let polygon = try LabelStudioRegion.region(from: GeometryBadRegion.result("p", "polygonlabels", [
            "points": [[10.0, 10.0], [20.0, 20.0], [30.0, 5.0]],
        ]))
        #expect(polygon.shape == .polygon(Polygon(points: [
            Point(x: 64, y: 48), Point(x: 128, y: 96), Point(x: 192, y: 24),
        ])))
        #expect(!GeometryBadRegion.brushRLE.isEmpty)
        let brush = try LabelStudioRegion.region(from: [
            "id": "b", "type": "brushlabels", "original_width": 4, "original_height": 3,
            "value": ["format": "rle", "rle": GeometryBadRegion.brushRLE],
        ])
        guard case .mask(let mask) = brush.shape else {
            Issue.record("brush region is \(brush.shape)")
            return
        }
        #expect(mask.area == 2 && mask[1, 1] != 0 && mask[2, 1] != 0)
    }

    @Test("a malformed region throws a FormatsError naming it", arguments: GeometryBadRegion.all)
    func malformed(_ bad: GeometryBadRegion) {
        let object = bad.build()
        let id = GeometryBadRegion.id(bad.name)
        do {
            let region = try LabelStudioRegion.region(from: object)
            Issue.record("\(bad.name): no error; parsed \(region.shape)")
        } catch {
            #expect(error.message.contains("region \"\(id)\""), "\(bad.name): message is \(error.message)")
            #expect(error.code == bad.code, "\(bad.name): \(error)")
        }
    }

    @Test("a malformed region inside a document fails the document and names the region", arguments: GeometryBadRegion.all)
    func malformedInDocument(_ bad: GeometryBadRegion) {
        var object = bad.build()
        // The document gives the size when the result itself has none.
        let good: [String: Any] = [
            "id": "good-one", "type": "ellipselabels", "value": ["x": 5.0, "y": 5.0, "radiusX": 1.0, "radiusY": 1.0],
        ]
        if bad.name.contains("original") { object["original_width"] = nil; object["original_height"] = nil }
        let root: [String: Any] = bad.name.contains("original")
            ? ["regions": [good, object]]  // no size anywhere: the document itself fails
            : ["original_width": 640, "original_height": 480, "regions": [good, object]]
        do {
            let document = try RegionsDocument(object: root)
            Issue.record("\(bad.name): no error; \(document.regions.count) regions")
        } catch {
            if bad.name.contains("original") {
                #expect(error.code == .missingField, "\(error)")
            } else {
                #expect(error.message.contains(GeometryBadRegion.id(bad.name)), "\(bad.name): message is \(error.message)")
            }
        }
    }

    @Test("an integer id is named in the message")
    func integerID() {
        let object: [String: Any] = [
            "id": 4242, "type": "rectanglelabels", "original_width": 10, "original_height": 10,
            "value": ["x": Double.nan, "y": 0.0, "width": 1.0, "height": 1.0],
        ]
        #expect {
            try LabelStudioRegion.region(from: object)
        } throws: { error in
            (error as? FormatsError)?.message.contains("region \"4242\"") == true
        }
    }

    @Test("JSON with an out-of-range number fails without trapping")
    func hugeJSONNumber() {
        let json = Data(
            #"{"id": "huge", "type": "rectanglelabels", "original_width": 100, "original_height": 100, "value": {"x": 1e999, "y": 0, "width": 1, "height": 1}}"#
                .utf8)
        do {
            let document = try RegionsDocument(json: json)
            Issue.record("no error: \(document.regions)")
        } catch {
            if error.code != .invalidJSON {
                #expect(error.message.contains("huge"), "\(error)")
            }
        }
    }

    /// Label Studio values that are finite in percent but overflow to infinite pixels
    /// (1e308 % of 1000 px = 1e309 px = +infinity).
    static var overflowingValues: [(String, [String: Any])] {
        [
        ("rectanglelabels", ["x": 1e308, "y": 10.0, "width": 10.0, "height": 10.0]),
        ("rectanglelabels", ["x": 10.0, "y": 10.0, "width": 1e308, "height": 1e308, "rotation": 30.0]),
        ("ellipselabels", ["x": 50.0, "y": 50.0, "radiusX": 1e308, "radiusY": 1e308]),
        ("ellipselabels", ["x": -1e308, "y": 50.0, "radiusX": 10.0, "radiusY": 10.0, "rotation": 45.0]),
        ("keypointlabels", ["x": 1e308, "y": 1e308, "width": 1e308]),
        ("polygonlabels", ["points": [[1e308, 10.0], [1e308, 50.0], [10.0, 10.0]]]),
        ("polygonlabels", ["points": [[-1e308, 10.0], [1e308, 50.0], [10.0, -1e308]]]),
        ("polygonlabels", ["points": [[1e308, 1e308], [-1e308, 1e308], [10.0, 10.0]]]),
        ]
    }

    /// Shapes with infinite or NaN coordinates, built directly.
    static var nonFiniteShapes: [Shape] {
        let inf = Double.infinity, nan = Double.nan
        return [
            .rectangle(RotatedRect(origin: Point(x: inf, y: 0), width: 10, height: 10)),
            .rectangle(RotatedRect(origin: Point(x: 0, y: 0), width: inf, height: inf, rotation: 30)),
            .rectangle(RotatedRect(origin: Point(x: nan, y: nan), width: 10, height: 10)),
            .rectangle(RotatedRect(origin: Point(x: 0, y: 0), width: 10, height: 10, rotation: nan)),
            .ellipse(Ellipse(center: Point(x: 10, y: 10), radiusX: inf, radiusY: inf)),
            .ellipse(Ellipse(center: Point(x: nan, y: 10), radiusX: 5, radiusY: 5)),
            .ellipse(Ellipse(center: Point(x: 10, y: 10), radiusX: 5, radiusY: 5, rotation: inf)),
            .keypoint(Disc(center: Point(x: 10, y: 10), radius: inf)),
            .keypoint(Disc(center: Point(x: nan, y: 10), radius: 3)),
            .polygon(Polygon(points: [Point(x: inf, y: 10), Point(x: inf, y: 50), Point(x: 10, y: 10)])),
            .polygon(Polygon(points: [Point(x: -inf, y: 10), Point(x: inf, y: 50), Point(x: 10, y: -inf)])),
            .polygon(Polygon(points: [Point(x: nan, y: 10), Point(x: 20, y: 50), Point(x: 10, y: 10)])),
            .polygon(Polygon(points: [Point(x: 10, y: nan), Point(x: 20, y: 50), Point(x: 10, y: 10)])),
            .polyline(Polyline(points: [Point(x: 0, y: 0), Point(x: inf, y: 20)], strokeWidth: 4)),
            .polyline(Polyline(points: [Point(x: 0, y: 0), Point(x: 20, y: 20)], strokeWidth: inf)),
            .strokes([BrushStroke(points: [Point(x: nan, y: 0), Point(x: 20, y: 20)], size: 3)]),
        ]
    }

    /// Fills, tests and indexes `shapes`: the operations that must never trap.
    static func exercise(_ shapes: [Shape]) {
        for shape in shapes {
            for rule in FillRule.allCases {
                var mask = Mask(width: 32, height: 24)
                mask.fill(shape, rule: rule)
                _ = shape.contains(Point(x: 10, y: 10), rule: rule)
                _ = shape.boundingBox
            }
        }
        let index = RegionIndex(regions: shapes.enumerated().map { Region(id: "s\($0.offset)", shape: $0.element) })
        _ = index.regions(at: Point(x: 10, y: 10))
        _ = index.topRegion(at: Point(x: 10, y: 10))
        _ = index.nearestVertex(to: Point(x: 10, y: 10), within: 50)
        _ = index.regions(inside: Box(minX: 0, minY: 0, maxX: 100, maxY: 100))
        _ = index.regions(intersecting: Box(minX: 0, minY: 0, maxX: 100, maxY: 100))
    }

    /// Parses overflowing value `i`; when the parser accepts it, exercises the shape.
    static func exerciseOverflow(_ i: Int) {
        let (type, value) = overflowingValues[i]
        let object: [String: Any] = [
            "id": "huge\(i)", "type": type, "original_width": 1000, "original_height": 800, "value": value,
        ]
        guard let region = try? LabelStudioRegion.region(from: object) else { return }
        exercise([region.shape])
    }

    @Test("finite percents that overflow to infinite pixels do not trap", arguments: 0..<8)
    func overflowingPercents(_ i: Int) async {
        // Whatever the parser does (reject or accept), filling, testing and indexing
        // must not trap; run in a child process so a trap fails only this case.
        await #expect(processExitsWith: .success, "traps for \(Self.overflowingValues[i])") { [i] in
            GeometryErrorTests.exerciseOverflow(i)
        }
    }

    @Test("shapes with infinite or NaN coordinates do not trap", arguments: 0..<16)
    func nonFiniteShapes(_ i: Int) async {
        await #expect(processExitsWith: .success, "traps for \(Self.nonFiniteShapes[i])") { [i] in
            GeometryErrorTests.exercise([GeometryErrorTests.nonFiniteShapes[i]])
        }
    }
}
