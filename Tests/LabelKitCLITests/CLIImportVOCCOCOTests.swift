import Foundation
import Testing

/// `labelkit import voc` and `labelkit import coco`: what `labelkit export` wrote
/// comes back as the same regions (boxes on whole pixels exactly).
@Suite("labelkit import voc / coco")
struct CLIImportVOCCOCOTests {
    static let tasks = """
        [{"id": 1, "data": {"image": "/data/local-files/?d=images/scene.jpg"}, "annotations": [{"id": 2, "result": [
          {"id": "r", "type": "rectanglelabels", "from_name": "boxes", "to_name": "img", "original_width": 200, "original_height": 100,
           "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]}},
          {"id": "q", "type": "rectanglelabels", "from_name": "boxes", "to_name": "img", "original_width": 200, "original_height": 100,
           "value": {"x": 50, "y": 5, "width": 25, "height": 10, "rotation": 0, "rectanglelabels": ["A&B"]}}]}]}]
        """
    static let config = """
        <View><Image name="img" value="$image"/>
        <RectangleLabels name="boxes" toName="img"><Label value="Car"/><Label value="A&amp;B"/></RectangleLabels>
        <PolygonLabels name="outline" toName="img"><Label value="Car"/><Label value="A&amp;B"/></PolygonLabels></View>
        """

    static func results(_ path: String) throws -> [[String: Any]] {
        let tasks = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]])
        return try #require(((tasks.first?["annotations"] as? [[String: Any]])?.first?["result"]) as? [[String: Any]])
    }

    @Test("export voc, import voc: the same boxes and labels, the config's names, the image's file name")
    func voc() throws {
        let dir = try TempDir()
        try Self.tasks.write(toFile: dir.path("in.json"), atomically: true, encoding: .utf8)
        try Self.config.write(toFile: dir.path("config.xml"), atomically: true, encoding: .utf8)
        let export = try CLI.run(["export", dir.path("in.json"), "--to", "voc", "-o", dir.path("voc"), "--quiet"])
        #expect(export.status == 0, "\(export.stderrText)")
        let back = try CLI.run(["import", "voc", dir.path("voc"), "-o", dir.path("t.json"), "--config", dir.path("config.xml")])
        #expect(back.status == 0, "\(back.stderrText)")
        let results = try Self.results(dir.path("t.json"))
        try #require(results.count == 2)
        let expected: [(String, [Double])] = [("Car", [10, 20, 30, 40]), ("A&B", [50, 5, 25, 10])]
        for (result, (label, box)) in zip(results, expected) {
            let v = try #require(result["value"] as? [String: Any])
            #expect(v["rectanglelabels"] as? [String] == [label])
            #expect(result["from_name"] as? String == "boxes" && result["to_name"] as? String == "img")
            let got = ["x", "y", "width", "height"].map { v[$0] as? Double ?? .nan }
            #expect(zip(got, box).allSatisfy { abs($0 - $1) < 1e-9 }, "\(got)")
        }
        let tasks = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("t.json")))) as? [[String: Any]]
        #expect((tasks?.first?["data"] as? [String: Any])?["image"] as? String == "/data/local-files/?d=images/scene.jpg")
    }

    @Test("export coco, import coco: polygons per part with the label; an empty folder or file is exit 2")
    func coco() throws {
        let dir = try TempDir()
        try Self.tasks.write(toFile: dir.path("in.json"), atomically: true, encoding: .utf8)
        try Self.config.write(toFile: dir.path("config.xml"), atomically: true, encoding: .utf8)
        let export = try CLI.run(["export", dir.path("in.json"), "--to", "coco", "-o", dir.path("coco"), "--quiet"])
        #expect(export.status == 0, "\(export.stderrText)")
        let back = try CLI.run([
            "import", "coco", dir.path("coco/coco.json"), "-o", dir.path("t.json"), "--config", dir.path("config.xml"),
        ])
        #expect(back.status == 0, "\(back.stderrText)")
        let results = try Self.results(dir.path("t.json"))
        #expect(results.map { $0["type"] as? String } == ["polygonlabels", "polygonlabels"])
        #expect(results.allSatisfy { $0["from_name"] as? String == "outline" })
        #expect(results.map { ($0["value"] as? [String: Any])?["polygonlabels"] as? [String] } == [["Car"], ["A&B"]])
        try FileManager.default.createDirectory(atPath: dir.path("empty"), withIntermediateDirectories: true)
        let none = try CLI.run(["import", "voc", dir.path("empty"), "-o", dir.path("n.json")])
        #expect(none.status == 2 && none.stderrText.contains("nothing written"), "\(none.stderrText)")
        try #"{"images": [], "annotations": [], "categories": []}"#.write(toFile: dir.path("e.json"), atomically: true, encoding: .utf8)
        let empty = try CLI.run(["import", "coco", dir.path("e.json"), "-o", dir.path("n.json")])
        #expect(empty.status == 2 && empty.stderrText.contains("no image to import"), "\(empty.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("n.json")))
    }
}
