import Foundation
import LabelKitCore
import LabelKitFormats
import Testing

@Suite("Regions documents")
struct RegionsDocumentTests {
    static var result: [String: Any] {
        [
            "id": "r1", "type": "rectanglelabels", "original_width": 100, "original_height": 50,
            "value": ["x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]],
        ]
    }

    @Test("a result, a list, a regions object, an annotation and a task give the same regions")
    func shapes() throws {
        let choice: [String: Any] = ["id": "r1", "type": "choices", "value": ["choices": ["Good"]]]
        let inputs: [Any] = [
            Self.result,
            [Self.result, choice],
            ["original_width": 100, "original_height": 50, "regions": [Self.result]],
            ["result": [Self.result, choice]],
            ["id": 1, "data": ["image": "a.jpg"], "annotations": [["id": 2, "result": [Self.result]]]],
        ]
        for input in inputs {
            let document = try RegionsDocument(object: input)
            #expect(document.width == 100 && document.height == 50)
            #expect(document.regions.map(\.id) == ["r1"])
            #expect(
                document.regions[0].shape
                    == .rectangle(RotatedRect(origin: Point(x: 10, y: 10), width: 30, height: 20, rotation: 0)))
        }
    }

    @Test("without any image size the error says which fields are missing")
    func missingSize() {
        var bare = Self.result
        bare.removeValue(forKey: "original_width")
        bare.removeValue(forKey: "original_height")
        #expect(throws: FormatsError.self) { try RegionsDocument(object: [bare]) }
    }
}
