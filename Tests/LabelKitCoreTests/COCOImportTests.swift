import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

@Suite("COCO dataset import")
struct COCOImportTests {
    static func dataset() throws -> Data {
        var mask = Mask(width: 40, height: 30)
        mask.fill(.ellipse(Ellipse(center: Point(x: 20, y: 15), radiusX: 8, radiusY: 5)))
        let rle = COCORLE(encoding: mask)
        let object: [String: Any] = [
            "images": [["id": 7, "width": 40, "height": 30, "file_name": "a.jpg"]],
            "categories": [["id": 1, "name": "Cat"], ["id": 2, "name": "Dog"]],
            "annotations": [
                ["id": 1, "image_id": 7, "category_id": 1, "bbox": [4, 3, 10, 6], "segmentation": [[Double]]()],
                ["id": 2, "image_id": 7, "category_id": 2, "segmentation": [[0, 0, 20, 0, 20, 15]], "bbox": [0, 0, 20, 15]],
                [
                    "id": 3, "image_id": 7, "category_id": 1, "iscrowd": 1,
                    "segmentation": ["size": [30, 40], "counts": rle.compressedCounts],
                ],
                ["id": 4, "image_id": 7, "category_id": 2, "keypoints": [10, 12, 2, 0, 0, 0], "num_keypoints": 1],
            ],
        ]
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test("boxes, polygons, RLE and keypoints become Label Studio regions")
    func regions() throws {
        let tasks = try COCOImporter().tasks(fromCOCO: Self.dataset())
        #expect(tasks.count == 1)
        let task = tasks[0]
        #expect((task["data"] as? [String: Any])?["image"] as? String == "/data/local-files/?d=a.jpg")
        let results = try #require(((task["annotations"] as? [[String: Any]])?.first)?["result"] as? [[String: Any]])
        #expect(results.map { $0["type"] as? String } == ["rectanglelabels", "polygonlabels", "brushlabels", "keypointlabels"])
        let box = try #require(results[0]["value"] as? [String: Any])
        #expect(box["x"] as? Double == 10 && box["y"] as? Double == 10 && box["width"] as? Double == 25)
        #expect(box["rectanglelabels"] as? [String] == ["Cat"])
        // The brush decodes back to the mask the RLE was made from.
        let region = try LabelStudioRegion.region(from: results[2])
        var mask = Mask(width: 40, height: 30)
        mask.fill(.ellipse(Ellipse(center: Point(x: 20, y: 15), radiusX: 8, radiusY: 5)))
        guard case .mask(let decoded) = region.shape else {
            Issue.record("expected a brush")
            return
        }
        #expect(decoded == mask)
        let keypoint = try #require(results[3]["value"] as? [String: Any])
        #expect(keypoint["x"] as? Double == 25 && keypoint["y"] as? Double == 40)
    }

    @Test("an RLE of another size is an error naming the annotation")
    func wrongSize() throws {
        let object: [String: Any] = [
            "images": [["id": 1, "width": 10, "height": 10]],
            "annotations": [["id": 9, "image_id": 1, "category_id": 1, "segmentation": ["size": [5, 5], "counts": "0P0"]]],
        ]
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: FormatsError.self) { try COCOImporter().tasks(fromCOCO: data) }
        do {
            _ = try COCOImporter().tasks(fromCOCO: data)
        } catch {
            #expect(error.message.contains("annotation 9"))
        }
    }

    @Test("person keypoints: the polygon and every point with v > 0, named by the category's keypoints; an empty RLE is nothing")
    func personKeypoints() throws {
        let json = """
            {"images": [{"id": 1, "width": 100, "height": 50, "file_name": "p.jpg"}],
             "categories": [{"id": 1, "name": "person", "keypoints": ["nose", "left_eye", "right_eye"]},
                            {"id": 2, "name": "Nose"}],
             "annotations": [
              {"id": 5, "image_id": 1, "category_id": 1, "bbox": [10, 5, 30, 40],
               "segmentation": [[10, 5, 40, 5, 40, 45, 10, 45]], "keypoints": [20, 10, 2, 0, 0, 0, 30, 12, 1], "num_keypoints": 2},
              {"id": 6, "image_id": 1, "category_id": 2, "bbox": [50, 20, 0, 0],
               "segmentation": {"size": [50, 100], "counts": [5000]}, "keypoints": [50, 20, 2], "num_keypoints": 1}]}
            """
        let tasks = try COCOImporter().tasks(fromCOCO: Data(json.utf8))
        let results = try #require(((tasks.first?["annotations"] as? [[String: Any]])?.first?["result"]) as? [[String: Any]])
        #expect(results.map { $0["type"] as? String } == ["polygonlabels", "keypointlabels", "keypointlabels", "keypointlabels"])
        let labels = results.map { r in
            ((r["value"] as? [String: Any]).flatMap { $0["polygonlabels"] ?? $0["keypointlabels"] } as? [String])?.first
        }
        #expect(labels == ["person", "nose", "right_eye", "Nose"])
        let nose = try #require(results[1]["value"] as? [String: Any])
        #expect(nose["x"] as? Double == 20 && nose["y"] as? Double == 20)
    }
}
