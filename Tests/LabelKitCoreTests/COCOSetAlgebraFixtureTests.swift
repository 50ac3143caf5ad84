import LabelKitCore
import Testing

/// `coco_rle/pairs.json` and `coco_rle/iou_matrix.json`: pycocotools `merge` and `iou`.
@Suite("COCO RLE merge and IoU fixtures")
struct COCOSetAlgebraFixtureTests {
    @Test("pairs.json has cases")
    func pairsNotEmpty() {
        #expect(COCOPairs.all().count >= 5)
    }

    @Test("union and intersection match merge", arguments: COCOPairs.all())
    func merge(_ p: COCOPairs.Pair) throws {
        let a = try p.a.parsed(), b = try p.b.parsed()
        #expect(a.area == p.areaA && b.area == p.areaB)
        let union = try COCORLE.merge([a, b], intersect: false)
        let inter = try COCORLE.merge([a, b], intersect: true)
        #expect(union.height == p.union.height && union.width == p.union.width)
        #expect(union.compressedCounts == p.union.counts)
        #expect(inter.compressedCounts == p.intersection.counts)
        #expect(union.area == p.unionArea)
        #expect(inter.area == p.intersectionArea)
        // Merging is symmetric.
        #expect(try COCORLE.merge([b, a]).compressedCounts == p.union.counts)
        #expect(try COCORLE.merge([b, a], intersect: true).compressedCounts == p.intersection.counts)
    }

    @Test("IoU with and without crowd matches pycocotools exactly", arguments: COCOPairs.all())
    func iou(_ p: COCOPairs.Pair) throws {
        let a = try p.a.parsed(), b = try p.b.parsed()
        #expect(COCORLE.iou([a], [b], isCrowd: [false]) == [[p.iouABCrowd0]])
        #expect(COCORLE.iou([a], [b]) == [[p.iouABCrowd0]])  // missing flags count as 0
        #expect(COCORLE.iou([b], [a], isCrowd: [false]) == [[p.iouABCrowd0]])
        #expect(COCORLE.iou([a], [b], isCrowd: [true]) == [[p.iouABCrowd1]])
        #expect(COCORLE.iou([b], [a], isCrowd: [true]) == [[p.iouBACrowd1]])
    }

    @Test("IoU values follow from the fixture areas", arguments: COCOPairs.all())
    func iouFromAreas(_ p: COCOPairs.Pair) {
        // |a n b| / |a u b|, and |a n b| / |dt| for a crowd gt; 0 when nothing overlaps.
        let i = Double(p.intersectionArea)
        #expect(p.iouABCrowd0 == (p.intersectionArea == 0 ? 0 : i / Double(p.unionArea)))
        #expect(p.iouABCrowd1 == (p.intersectionArea == 0 ? 0 : i / Double(p.areaA)))
        #expect(p.iouBACrowd1 == (p.intersectionArea == 0 ? 0 : i / Double(p.areaB)))
    }

    @Test("the m x n IoU matrix with mixed iscrowd matches")
    func iouMatrix() throws {
        let f = try Fixtures.load(COCOIoUMatrix.self, "coco_rle/iou_matrix.json")
        let dt = try f.dt.map { try $0.parsed() }
        let gt = try f.gt.map { try $0.parsed() }
        #expect(dt.allSatisfy { [$0.height, $0.width] == f.size })
        let crowd = f.iscrowd.map { $0 != 0 }
        #expect(crowd.contains(true) && crowd.contains(false))
        let result = COCORLE.iou(dt, gt, isCrowd: crowd)
        #expect(result.count == f.iouMatrix.count)
        for (d, row) in f.iouMatrix.enumerated() where d < result.count {
            #expect(result[d] == row, "row \(d)")
        }
    }

    @Test("the m x n box IoU matrix with mixed iscrowd matches")
    func boxIoUMatrix() throws {
        let f = try Fixtures.load(COCOIoUMatrix.self, "coco_rle/iou_matrix.json")
        let result = COCORLE.boxIoU(f.dtBoxes, f.gtBoxes, isCrowd: f.iscrowd.map { $0 != 0 })
        #expect(result.count == f.boxIouMatrix.count)
        for (d, row) in f.boxIouMatrix.enumerated() where d < result.count {
            #expect(result[d] == row, "row \(d)")
        }
    }

    @Test("merging more than two RLEs folds left")
    func mergeMany() throws {
        let f = try Fixtures.load(COCOIoUMatrix.self, "coco_rle/iou_matrix.json")
        let rles = try f.dt.map { try $0.parsed() }
        var union = rles[0].decode(foreground: 1).bytes
        var inter = union
        for r in rles.dropFirst() {
            let m = r.decode(foreground: 1).bytes
            for i in union.indices {
                union[i] |= m[i]
                inter[i] &= m[i]
            }
        }
        #expect(try COCORLE.merge(rles).decode(foreground: 1).bytes == union)
        #expect(try COCORLE.merge(rles, intersect: true).decode(foreground: 1).bytes == inter)
        #expect(try COCORLE.merge(rles).area == union.count(where: { $0 != 0 }))
    }

    @Test("merging RLEs of different sizes throws sizeMismatch")
    func mergeSizeMismatch() throws {
        let a = try COCORLE(height: 3, width: 3, compressedCounts: "9")
        let b = try COCORLE(height: 3, width: 4, counts: [12])
        #expect { try COCORLE.merge([a, b]) } throws: { ($0 as? CoreError)?.code == .sizeMismatch }
        #expect { try a.union(b) } throws: { ($0 as? CoreError)?.code == .sizeMismatch }
    }
}
