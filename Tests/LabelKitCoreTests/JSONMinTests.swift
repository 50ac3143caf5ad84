import Foundation
import LabelKitCore
import LabelKitFormats
import Testing

@Suite("JSON-MIN export items")
struct JSONMinTests {
    @Test("a JSON-MIN item reads as one annotation with typed results")
    func minimalItem() throws {
        let text = """
            {"image": "/data/upload/1/a.jpg", "id": 3, "annotator": "a@b.com", "annotation_id": 9,
             "label": [{"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"],
                        "original_width": 200, "original_height": 100}],
             "shape": [{"points": [[1, 1], [50, 1], [50, 50]], "original_width": 200, "original_height": 100}]}
            """
        let task = try LabelStudioTask(json: Data(text.utf8), index: 0)
        #expect(task.id == "3")
        #expect(task.imageReference == "/data/upload/1/a.jpg")
        #expect(task.annotations.count == 1)
        let annotation = task.annotations[0]
        #expect(annotation.id == "9")
        #expect(annotation.author == "a@b.com")
        #expect(annotation.result.map { $0["type"] as? String } == ["rectanglelabels", "polygon"])
        let region = try LabelStudioRegion.region(from: annotation.result[0])
        #expect(region.shape == .rectangle(RotatedRect(origin: Point(x: 20, y: 20), width: 60, height: 40)))
        #expect(region.labels == ["Car"])
    }
}
