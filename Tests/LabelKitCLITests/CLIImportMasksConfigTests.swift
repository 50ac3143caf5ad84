import Foundation
import LabelKitCore
import LabelKitImaging
import Testing

/// `labelkit import-masks --config`: each imported result takes the from_name and
/// to_name of the config's control for its type; a label it does not know is exit 2.
@Suite("labelkit import-masks --config")
struct CLIImportMasksConfigTests {
    static let config = """
        <View><Image name="photo" value="$image"/>
        <RectangleLabels name="boxes" toName="photo"><Label value="Car"/></RectangleLabels>
        <PolygonLabels name="outlines" toName="photo"><Label value="Car"/></PolygonLabels>
        <BrushLabels name="paint" toName="photo"><Label value="Car"/></BrushLabels>
        <KeyPointLabels name="points" toName="photo"><Label value="Car"/></KeyPointLabels></View>
        """

    static func coco(category: String) -> String {
        """
        {"images": [{"id": 1, "width": 4, "height": 3, "file_name": "a.jpg"}],
         "categories": [{"id": 7, "name": "\(category)"}],
         "annotations": [
          {"id": 1, "image_id": 1, "category_id": 7, "bbox": [1, 1, 2, 1]},
          {"id": 2, "image_id": 1, "category_id": 7, "segmentation": [[0, 0, 3, 0, 3, 2]]},
          {"id": 3, "image_id": 1, "category_id": 7, "segmentation": {"size": [3, 4], "counts": [3, 2, 7]}},
          {"id": 4, "image_id": 1, "category_id": 7, "keypoints": [2, 1, 2]}]}
        """
    }

    @Test("COCO boxes, polygons, RLE and keypoints go to the config's controls of their types")
    func controls() throws {
        let dir = try TempDir()
        try Self.config.write(toFile: dir.path("config.xml"), atomically: true, encoding: .utf8)
        try Self.coco(category: "Car").write(toFile: dir.path("coco.json"), atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "import-masks", dir.path("coco.json"), "--to", "ls", "-o", dir.path("tasks.json"), "--config", dir.path("config.xml"),
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        let tasks = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("tasks.json")))) as? [[String: Any]])
        let results = try #require(((tasks.first?["annotations"] as? [[String: Any]])?.first?["result"]) as? [[String: Any]])
        let names = Dictionary(uniqueKeysWithValues: results.map { ($0["type"] as? String ?? "", $0["from_name"] as? String ?? "") })
        #expect(names == ["rectanglelabels": "boxes", "polygonlabels": "outlines", "brushlabels": "paint", "keypointlabels": "points"])
        #expect(results.allSatisfy { $0["to_name"] as? String == "photo" })
    }

    @Test("a category the config's control does not know: exit 2 naming it, nothing written")
    func unknownLabel() throws {
        let dir = try TempDir()
        try Self.config.write(toFile: dir.path("config.xml"), atomically: true, encoding: .utf8)
        try Self.coco(category: "Bus").write(toFile: dir.path("coco.json"), atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "import-masks", dir.path("coco.json"), "--to", "ls", "-o", dir.path("tasks.json"), "--config", dir.path("config.xml"),
        ])
        #expect(result.status == 2)
        #expect(result.stderrText.contains("label \"Bus\" is not a label of the config's"), "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("tasks.json")))
    }
}

/// `labelkit import-masks --images`: masks point at the images of their stem.
@Suite("labelkit import-masks --images")
struct CLIImportMasksImagesTests {
    @Test("cat.png and dog.png masks with photos/cat.jpg and photos/dog.jpeg: tasks name the photos; without --images the masks")
    func byStem() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.path("masks"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("photos"), withIntermediateDirectories: true)
        var blob = Mask(width: 8, height: 6)
        blob[2, 3] = 255
        let mask = Data(try PNGCodec.encode(blob))
        try mask.write(to: URL(fileURLWithPath: dir.path("masks/cat.png")))
        try mask.write(to: URL(fileURLWithPath: dir.path("masks/dog.png")))
        try Data([1]).write(to: URL(fileURLWithPath: dir.path("photos/cat.jpg")))
        try Data([1]).write(to: URL(fileURLWithPath: dir.path("photos/dog.jpeg")))
        try Data([1]).write(to: URL(fileURLWithPath: dir.path("photos/notes.txt")))
        func images(_ extra: [String]) throws -> [String] {
            let out = dir.path("t\(extra.count).json")
            let result = try CLI.run(["import-masks", dir.path("masks"), "--to", "ls", "-o", out, "--image-root", "/data/local-files/?d=photos/"] + extra)
            #expect(result.status == 0, "\(result.stderrText)")
            let tasks = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [[String: Any]] ?? []
            return tasks.compactMap { ($0["data"] as? [String: Any])?["image"] as? String }
        }
        #expect(try images(["--images", dir.path("photos")]) == ["/data/local-files/?d=photos/cat.jpg", "/data/local-files/?d=photos/dog.jpeg"])
        #expect(try images([]) == ["/data/local-files/?d=photos/cat.png", "/data/local-files/?d=photos/dog.png"])
    }
}
