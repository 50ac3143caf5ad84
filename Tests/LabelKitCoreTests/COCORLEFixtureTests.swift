import LabelKitCore
import LabelKitImaging
import Testing

/// `coco_rle/masks`: pycocotools `encode`, `decode`, `area`, `toBbox`.
@Suite("COCO RLE mask fixtures")
struct COCORLEFixtureTests {
    static func load(_ entry: COCOIndex.Entry) throws -> (COCOMaskCase, Mask) {
        let c = try Fixtures.load(COCOMaskCase.self, "coco_rle/\(entry.json)")
        let mask = try Fixtures.grayMask("coco_rle/masks/\(c.maskPng)")
        return (c, mask)
    }

    @Test("the index lists mask cases")
    func indexNotEmpty() {
        #expect(COCOIndex.entries().count >= 10)
    }

    @Test("encoding the mask gives uncompressed_counts and the counts string", arguments: COCOIndex.entries())
    func encode(_ entry: COCOIndex.Entry) throws {
        let (c, mask) = try Self.load(entry)
        #expect(mask.width == c.width && mask.height == c.height)
        #expect(c.rle.size == [c.height, c.width])
        let rle = COCORLE(encoding: mask)
        #expect(rle.height == c.height && rle.width == c.width)
        #expect(rle.counts == c.uncompressedCounts)
        #expect(rle.compressedCounts == c.rle.counts)
    }

    @Test("the counts string parses to uncompressed_counts", arguments: COCOIndex.entries())
    func parse(_ entry: COCOIndex.Entry) throws {
        let (c, _) = try Self.load(entry)
        let rle = try c.rle.parsed()
        #expect(rle.counts == c.uncompressedCounts)
        #expect(rle.height == c.height && rle.width == c.width)
    }

    @Test("uncompressed counts compress to the counts string (frPyObjects)", arguments: COCOIndex.entries())
    func compressUncompressed(_ entry: COCOIndex.Entry) throws {
        let (c, _) = try Self.load(entry)
        let rle = try COCORLE(height: c.height, width: c.width, counts: c.uncompressedCounts)
        #expect(rle.compressedCounts == c.rle.counts)
    }

    @Test("decoding gives the binarized mask", arguments: COCOIndex.entries())
    func decode(_ entry: COCOIndex.Entry) throws {
        let (c, mask) = try Self.load(entry)
        let rle = try c.rle.parsed()
        let decoded = rle.decode()
        #expect(decoded.width == c.width && decoded.height == c.height)
        #expect(decoded.bytes == mask.binarized255)
        #expect(rle.decode(foreground: 1).bytes == mask.bytes.map { $0 == 0 ? 0 : 1 })
    }

    @Test("area and bounding box match area and toBbox", arguments: COCOIndex.entries())
    func areaAndBox(_ entry: COCOIndex.Entry) throws {
        let (c, mask) = try Self.load(entry)
        let rle = try c.rle.parsed()
        #expect(rle.area == c.area)
        #expect(rle.boundingBox == c.bbox)
        #expect(mask.bytes.count(where: { $0 != 0 }) == c.area)
    }
}

/// The vectors of section 9 of the format spec.
@Suite("COCO RLE spec vectors")
struct COCORLESpecVectorTests {
    @Test("4x5 mask 00001/01110/01110/00000 encodes to 522000OO2")
    func smallMask() throws {
        let rows: [[UInt8]] = [[0, 0, 0, 0, 1], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [0, 0, 0, 0, 0]]
        let mask = try Mask(width: 5, height: 4, bytes: rows.flatMap { $0 })
        let rle = COCORLE(encoding: mask)
        #expect(rle.counts == [5, 2, 2, 2, 2, 2, 1, 1, 3])
        #expect(rle.compressedCounts == "522000OO2")
        #expect(rle.area == 7)
        #expect(rle.boundingBox == [1, 0, 4, 3])
        let parsed = try COCORLE(height: 4, width: 5, compressedCounts: "522000OO2")
        #expect(parsed.counts == [5, 2, 2, 2, 2, 2, 1, 1, 3])
        #expect(parsed.decode(foreground: 1).bytes == mask.bytes)
    }

    @Test("empty 3x3 is 9 and full 3x3 is 09")
    func emptyAndFull() throws {
        let empty = COCORLE(encoding: Mask(width: 3, height: 3))
        #expect(empty.counts == [9])
        #expect(empty.compressedCounts == "9")
        #expect(empty.boundingBox == [0, 0, 0, 0])
        #expect(empty.area == 0)
        let full = COCORLE(encoding: try Mask(width: 3, height: 3, bytes: [UInt8](repeating: 255, count: 9)))
        #expect(full.counts == [0, 9])
        #expect(full.compressedCounts == "09")
        #expect(full.boundingBox == [0, 0, 3, 3])
        #expect(try COCORLE(height: 3, width: 3, compressedCounts: "9").counts == [9])
        #expect(try COCORLE(height: 3, width: 3, compressedCounts: "09").counts == [0, 9])
    }

    @Test("rectangle polygon on 5x6 gives 6230009")
    func rectanglePolygon() throws {
        let rle = try COCORLE(polygon: [1, 1, 4, 1, 4, 3, 1, 3], height: 5, width: 6)
        #expect(rle.counts == [6, 2, 3, 2, 3, 2, 12])
        #expect(rle.compressedCounts == "6230009")
        #expect(rle.area == 6)
    }

    @Test("half-pixel triangle on 5x5 covers (1,1), (2,1), (1,2)")
    func triangle() throws {
        let rle = try COCORLE(polygon: [0.5, 0.5, 3.5, 0.5, 0.5, 3.5], height: 5, width: 5)
        #expect(rle.compressedCounts == "623O:")
        var expected = Mask(width: 5, height: 5)
        for (x, y) in [(1, 1), (2, 1), (1, 2)] { expected[x, y] = 255 }
        #expect(rle.decode() == expected)
    }

    /// 100x100, A = rows 10-59 x cols 20-89, B = rows 30-79 x cols 50-94.
    static func rectangle(rows: ClosedRange<Int>, cols: ClosedRange<Int>) -> Mask {
        var mask = Mask(width: 100, height: 100)
        for y in rows { for x in cols { mask[x, y] = 255 } }
        return mask
    }

    @Test("100x100 union, intersection and IoU example")
    func setAlgebraExample() throws {
        let a = COCORLE(encoding: Self.rectangle(rows: 10...59, cols: 20...89))
        let b = COCORLE(encoding: Self.rectangle(rows: 30...79, cols: 50...94))
        #expect(a.area == 3500 && b.area == 2250)
        let union = try COCORLE.merge([a, b], intersect: false)
        let inter = try COCORLE.merge([a, b], intersect: true)
        #expect(union.area == 4550)
        #expect(inter.area == 1200)
        #expect(inter == COCORLE(encoding: Self.rectangle(rows: 30...59, cols: 50...89)))
        #expect(try a.union(b) == union)
        #expect(try a.intersection(b) == inter)
        let iou = COCORLE.iou([a], [b], isCrowd: [false])
        #expect(iou == [[1200.0 / 4550.0]])
        #expect(abs(iou[0][0] - 0.263736) < 5e-7)
        let crowd = COCORLE.iou([a], [b], isCrowd: [true])
        #expect(crowd == [[1200.0 / 3500.0]])
        #expect(abs(crowd[0][0] - 0.342857) < 5e-7)
    }

    @Test("box IoU example: [0,0,10,10] vs [5,5,10,10]")
    func boxExample() {
        #expect(COCORLE.boxIoU([[0, 0, 10, 10]], [[5, 5, 10, 10]], isCrowd: [false]) == [[25.0 / 175.0]])
        #expect(COCORLE.boxIoU([[0, 0, 10, 10]], [[5, 5, 10, 10]], isCrowd: [true]) == [[0.25]])
        #expect(abs(25.0 / 175.0 - 0.142857) < 5e-7)
    }

    @Test("IoU of different-size RLEs with overlapping boxes is -1")
    func sizeMismatchIoU() throws {
        var m1 = Mask(width: 4, height: 4)
        m1[1, 1] = 255
        var m2 = Mask(width: 5, height: 4)
        m2[1, 1] = 255
        #expect(COCORLE.iou([COCORLE(encoding: m1)], [COCORLE(encoding: m2)]) == [[-1]])
    }

    @Test("merge of no RLE is 0x0 and of one RLE is that RLE")
    func mergeEdgeCases() throws {
        let empty = try COCORLE.merge([])
        #expect(empty.height == 0 && empty.width == 0)
        let one = try COCORLE(height: 4, width: 5, compressedCounts: "522000OO2")
        #expect(try COCORLE.merge([one]) == one)
        #expect(try COCORLE.merge([one], intersect: true) == one)
    }

    @Test("IoU with an empty list is an empty matrix")
    func emptyIoU() throws {
        let one = try COCORLE(height: 4, width: 5, compressedCounts: "522000OO2")
        #expect(COCORLE.iou([], [one]).isEmpty)
        let oneByZero = COCORLE.iou([one], [])
        #expect(oneByZero.allSatisfy { $0.isEmpty })
    }
}
