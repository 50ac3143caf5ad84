import LabelKitCore
import LabelKitFormats
import Testing

@Suite("Label Studio percent conversion")
struct PercentConversionTests {
    static let shapes: [Shape] = [
        .rectangle(RotatedRect(origin: Point(x: 12.5, y: 30), width: 40, height: 22.25, rotation: -30)),
        .ellipse(Ellipse(center: Point(x: 100, y: 60), radiusX: 33, radiusY: 12, rotation: 390)),
        .polygon(Polygon(points: [Point(x: 1, y: 2), Point(x: 150, y: 7.5), Point(x: 80, y: 99)])),
        .keypoint(Disc(center: Point(x: 70.25, y: 18), radius: 4)),
    ]

    @Test("shapes survive pixels -> percent -> pixels", arguments: 0..<4)
    func roundTrip(_ i: Int) throws {
        let shape = Self.shapes[i]
        let (type, value) = try #require(LabelStudioRegion.value(of: shape, width: 320, height: 200, label: "A"))
        let result: [String: Any] = [
            "id": "r", "type": type, "value": value, "original_width": 320, "original_height": 200,
        ]
        let region = try LabelStudioRegion.region(from: result)
        #expect(region.labels == ["A"])
        // Same pixels: the conversions differ by at most rounding, far below the pixel-centre tolerance.
        var a = Mask(width: 320, height: 200), b = Mask(width: 320, height: 200)
        a.fill(shape)
        b.fill(region.shape)
        #expect(a == b)
        let boxA = shape.boundingBox, boxB = region.shape.boundingBox
        #expect(abs(boxA.minX - boxB.minX) < 1e-9 && abs(boxA.maxY - boxB.maxY) < 1e-9)
    }

    @Test("rectangle values are percent of the image size")
    func rectangleValues() throws {
        let rect = Shape.rectangle(RotatedRect(origin: Point(x: 32, y: 20), width: 64, height: 50, rotation: 15))
        let (type, value) = try #require(LabelStudioRegion.value(of: rect, width: 640, height: 400))
        #expect(type == "rectanglelabels")
        #expect(value["x"] as? Double == 5)
        #expect(value["y"] as? Double == 5)
        #expect(value["width"] as? Double == 10)
        #expect(value["height"] as? Double == 12.5)
        #expect(value["rotation"] as? Double == 15)
    }
}
