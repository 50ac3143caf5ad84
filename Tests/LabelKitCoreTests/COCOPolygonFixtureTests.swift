import LabelKitCore
import Testing

/// `coco_rle/polygons.json` and `coco_rle/boxes.json`: pycocotools `frPyObjects`.
@Suite("COCO polygon and box rasterizer fixtures")
struct COCOPolygonFixtureTests {
    @Test("polygons.json has cases")
    func polygonsNotEmpty() {
        #expect(COCOPolygons.all().count >= 10)
    }

    @Test("each polygon part rasterizes to its part RLE", arguments: COCOPolygons.all())
    func parts(_ c: COCOPolygons.Case) throws {
        #expect(c.polygons.count == c.partRles.count)
        for (k, (part, expected)) in zip(c.polygons, c.partRles).enumerated() {
            let rle = try COCORLE(polygon: part, height: c.height, width: c.width)
            #expect(rle.height == expected.height && rle.width == expected.width)
            #expect(rle.compressedCounts == expected.counts, "part \(k)")
            #expect(rle.area == c.partAreas[k], "part \(k)")
        }
    }

    @Test("the union of the parts gives rle, area and bbox", arguments: COCOPolygons.all())
    func union(_ c: COCOPolygons.Case) throws {
        let parts = try c.polygons.map { try COCORLE(polygon: $0, height: c.height, width: c.width) }
        let rle = try COCORLE.merge(parts)
        #expect(rle.compressedCounts == c.rle.counts)
        #expect(rle.area == c.area)
        #expect(rle.boundingBox == c.bbox)
    }

    @Test("boxes rasterize like frBbox", arguments: (try? Fixtures.load(COCOBoxes.self, "coco_rle/boxes.json").cases) ?? [])
    func box(_ c: COCOBoxes.Case) throws {
        let f = try Fixtures.load(COCOBoxes.self, "coco_rle/boxes.json")
        let rle = try COCORLE(box: c.bboxIn, height: f.height, width: f.width)
        #expect(rle.compressedCounts == c.rle.counts)
        #expect(rle.area == c.area)
        #expect(rle.boundingBox == c.bbox)
    }

    @Test("boxes.json has cases")
    func boxesNotEmpty() throws {
        #expect(try Fixtures.load(COCOBoxes.self, "coco_rle/boxes.json").cases.count >= 10)
    }

    @Test("polygon and box input errors")
    func invalidGeometry() {
        #expect { try COCORLE(polygon: [1, 2, 3], height: 5, width: 5) } throws: {
            ($0 as? CoreError)?.code == .invalidGeometry
        }
        #expect { try COCORLE(polygon: [1, 2, .nan, 4, 5, 6], height: 5, width: 5) } throws: {
            ($0 as? CoreError)?.code == .invalidGeometry
        }
        #expect { try COCORLE(polygon: [1, 2, .infinity, 4, 5, 6], height: 5, width: 5) } throws: {
            ($0 as? CoreError)?.code == .invalidGeometry
        }
        #expect { try COCORLE(box: [1, 2, 3], height: 5, width: 5) } throws: {
            ($0 as? CoreError)?.code == .invalidGeometry
        }
        #expect { try COCORLE(polygon: [1, 1, 3, 1, 3, 3], height: -1, width: 5) } throws: {
            ($0 as? CoreError)?.code == .invalidDimensions
        }
    }
}
